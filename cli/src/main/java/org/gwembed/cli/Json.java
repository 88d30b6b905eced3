package org.gwembed.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A small JSON writer (RFC 8259) for the reports: no JSON library is on the class path on purpose.
 *
 * <p>Values: {@link Map} (keys written with {@code toString()}, in iteration order — use a {@code LinkedHashMap}),
 * {@link Iterable}, {@code double[]}, {@code int[]}, {@code long[]}, {@code Object[]}, {@link CharSequence},
 * {@link Number}, {@link Boolean}, {@link Enum} (its name), {@code null}. Doubles that are NaN or infinite have no
 * JSON form and are written as {@code null}; finite doubles use {@link Double#toString(double)}, which round-trips.
 * Strings escape {@code "}, {@code \}, and every control character below U+0020 (and U+2028/U+2029, which some
 * JavaScript parsers reject); other characters are written as they are (the file is UTF-8).
 */
final class Json {

    private Json() {
    }

    /** The value as indented JSON text ending with a line break. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, 0);
        sb.append('\n');
        return sb.toString();
    }

    /** Writes {@link #write(Object)} to {@code file} in UTF-8. */
    static void write(Path file, Object value) {
        try {
            Files.writeString(file, write(value), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void append(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> map) {
            appendMap(sb, map, indent);
        } else if (v instanceof Iterable<?> it) {
            appendIterator(sb, it.iterator(), indent);
        } else if (v instanceof Object[] arr) {
            appendIterator(sb, java.util.Arrays.asList(arr).iterator(), indent);
        } else if (v instanceof double[] arr) {
            sb.append('[');
            for (int i = 0; i < arr.length; i++) {
                sb.append(i == 0 ? "" : ", ");
                number(sb, arr[i]);
            }
            sb.append(']');
        } else if (v instanceof int[] arr) {
            sb.append('[');
            for (int i = 0; i < arr.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(arr[i]);
            }
            sb.append(']');
        } else if (v instanceof long[] arr) {
            sb.append('[');
            for (int i = 0; i < arr.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(arr[i]);
            }
            sb.append(']');
        } else if (v instanceof Double || v instanceof Float) {
            number(sb, ((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            sb.append(n.toString());
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Enum<?> e) {
            string(sb, e.name());
        } else {
            string(sb, v.toString());
        }
    }

    private static void appendMap(StringBuilder sb, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            pad(sb, indent + 1);
            string(sb, String.valueOf(e.getKey()));
            sb.append(": ");
            append(sb, e.getValue(), indent + 1);
            sb.append(it.hasNext() ? ",\n" : "\n");
        }
        pad(sb, indent);
        sb.append('}');
    }

    private static void appendIterator(StringBuilder sb, Iterator<?> it, int indent) {
        if (!it.hasNext()) {
            sb.append("[]");
            return;
        }
        sb.append("[\n");
        while (it.hasNext()) {
            pad(sb, indent + 1);
            append(sb, it.next(), indent + 1);
            sb.append(it.hasNext() ? ",\n" : "\n");
        }
        pad(sb, indent);
        sb.append(']');
    }

    private static void pad(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append("null");
        } else {
            // Double.toString gives "1.5", "-0.0", "1.0E-4": all valid JSON numbers, and they round-trip
            sb.append(Double.toString(d));
        }
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
