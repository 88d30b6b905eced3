package org.gwembed.cli;

import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * Which files a run writes beside {@code result.json}: the tables as CSV, as NumPy {@code .npy} or both, one
 * {@code result.npz} bundle, and the figures also as SVG. A picocli mixin of {@code embed} and {@code demo}.
 */
final class OutputOptions {

    /** The formats of the tables (ζ₁, ζ₂, the grid, the projections). */
    enum Format {
        CSV, NPY, BOTH;

        boolean csv() {
            return this != NPY;
        }

        boolean npy() {
            return this != CSV;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The defaults: both formats, no bundle, PNG figures only. */
    static final OutputOptions DEFAULT = new OutputOptions();

    @Option(names = "--output-format", paramLabel = "FMT", defaultValue = "both",
            converter = FormatConverter.class,
            description = "Tables as csv (zeta1.csv, ...), npy (zeta1.npy, zeta2.npy, grid.npy, projection1.npy, "
                    + "...) or both. Default: ${DEFAULT-VALUE}.")
    Format format = Format.BOTH;

    @Option(names = "--npz", description = "Also write result.npz: zeta1, zeta2, grid, projection1, projection2 "
            + "(and p1, p2 with --save-plans) in one NumPy bundle (numpy.load).")
    boolean npz;

    @Option(names = "--svg", description = "Also write the figures as SVG (embeddings.svg, and projections.svg where "
            + "projections.png is drawn).")
    boolean svg;

    /** Parses csv/npy/both in any case. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "--output-format must be csv, npy or both, got '" + value + "'");
            }
        }
    }
}
