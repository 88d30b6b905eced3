package org.gwembed.cli;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --progress auto|always|never}, a picocli mixin; {@code -q} still means never. */
final class ProgressOption {

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto", converter = ModeConverter.class,
            description = "Progress bar on stderr: auto (only with a console and TERM set and not dumb, or "
                    + "GWEMBED_PROGRESS=1), always, or never. Default: ${DEFAULT-VALUE}.")
    Progress.Mode mode = Progress.Mode.AUTO;

    /** Whether to draw, given {@code --quiet}. */
    boolean enabled(boolean quiet) {
        return Progress.enabled(quiet, mode);
    }

    /** Parses auto/always/never in any case. */
    static final class ModeConverter implements ITypeConverter<Progress.Mode> {
        @Override
        public Progress.Mode convert(String value) {
            try {
                return Progress.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("--progress must be auto, always or never, got '" + value + "'");
            }
        }
    }
}
