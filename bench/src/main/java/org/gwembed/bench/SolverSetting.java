package org.gwembed.bench;

import java.util.List;
import java.util.function.UnaryOperator;

import org.gwembed.embedding.JointEmbedding;
import org.gwembed.solvers.Precision;

/**
 * A setting the rolls and the SNAREseq grid run in: its group suffix, its label in the report (null for the
 * default) and how it changes the default options (over-relaxed inner solves, {@link JointEmbedding.Options#defaults}).
 */
record SolverSetting(String suffix, String label, UnaryOperator<JointEmbedding.Options> change) {

    /** What {@link #warm} changes, for the report. */
    static final String WARM = "warm, over-relaxed inner solves";

    /** What {@link #fast} changes, for the report. */
    static final String FAST = "single precision + warm, over-relaxed inner solves";

    /** What {@link #exact} changes, for the report. */
    static final String EXACT = "the authors' iterates (plain inner updates, --exact-reference)";

    /** The default setting (over-relaxed inner solves), the authors' iterates, then the two opt-in settings. */
    static final List<SolverSetting> ALL = List.of(new SolverSetting("", null, o -> o),
            new SolverSetting("-exact", EXACT, JointEmbedding.Options::withExactReference),
            new SolverSetting("-warm", WARM, SolverSetting::warm),
            new SolverSetting("-fast", FAST, SolverSetting::fast));

    JointEmbedding.Options apply(JointEmbedding.Options defaults) {
        return change.apply(defaults);
    }

    /** The label as a target row's suffix: "" for the default, ", " and the label otherwise. */
    String rowSuffix() {
        return label == null ? "" : ", " + label;
    }

    /**
     * The default settings with warm inner starts, still in double precision: started from the previous outer
     * iteration's potentials and over-relaxed (the same inner fixed points to the inner tolerance).
     */
    static JointEmbedding.Options warm(JointEmbedding.Options defaults) {
        return defaults.withWarmInnerStarts().withOverRelaxedInnerSolves();
    }

    /**
     * The default settings made faster without changing the method: float32 kernels and product operands
     * ({@link Precision#SINGLE}), inner solves started from an earlier outer iteration's potentials and
     * over-relaxed with an adaptive factor (the same inner fixed points to the inner tolerance).
     */
    static JointEmbedding.Options fast(JointEmbedding.Options defaults) {
        return defaults.withPrecision(Precision.SINGLE).withWarmInnerStarts().withOverRelaxedInnerSolves();
    }

    /**
     * The label of {@code group}'s runs in the targets table when it is one of {@code problem}'s settings ("" for
     * the default, ", " and the setting's label otherwise), null when it is not.
     */
    static String label(String group, String problem) {
        for (SolverSetting setting : ALL) {
            if (group.equals(problem + setting.suffix())) {
                return setting.rowSuffix();
            }
        }
        return null;
    }
}
