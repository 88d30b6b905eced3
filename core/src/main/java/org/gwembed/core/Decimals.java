package org.gwembed.core;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The short decimal form of parameters in labels, file names and messages.
 *
 * <p><b>Internal.</b> Not part of gwembed's public API: used by its modules, it may change or move without
 * notice; applications should not call it.
 */
public final class Decimals {

    private Decimals() {
    }

    /**
     * Four significant digits, no trailing zeros, never an exponent: {@code 50}, {@code 0.0006}, {@code 0.01},
     * {@code 1.235} for 1.23456; NaN and infinities as {@link Double#toString(double)} writes them.
     */
    public static String shortForm(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
