package org.gwembed.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.gwembed.metricspaces.AtomicFiles;

/**
 * The one JSON writer of the project (RFC 8259, Jackson's streaming generator): the command line's
 * {@code result.json} and {@code report.json}, and the benchmark harness's {@code bench/results/<date>.json}.
 *
 * <p>Values: {@link Map} (keys written with {@code toString()}, in iteration order — use a {@code LinkedHashMap}),
 * {@link Iterable}, {@code Object[]}, {@code double[]}, {@code int[]}, {@code long[]}, {@link CharSequence},
 * {@link Number}, {@link Boolean}, {@link Enum} (its name), {@code null}; anything else as its {@code toString()}.
 *
 * <p>Numbers, one rule: {@code double} and {@code float} values are written as {@link Double#toString(double)}
 * writes them — the shortest decimal that reads back to the same double, with a decimal point or an exponent:
 * {@code 50.0}, {@code 0.001}, {@code 6.0E-4}, {@code 1.0E20}, {@code -0.0} — and NaN and ±∞, which have no JSON form,
 * as {@code null}; integers ({@code int}, {@code long}, ...) as integers ({@code 40}). Every JSON reader takes both
 * forms, and a reader that keeps the type sees a double where the writer had one.
 *
 * <p>Layout: two spaces of indentation per level, {@code "key": value}, one entry per line; arrays of
 * {@code double[]}, {@code int[]} and {@code long[]} on one line ({@code [1.5, null, 2.0]}), other arrays one element
 * per line; empty objects and arrays as {@code {}} and {@code []}; a line break at the end. Strings escape
 * {@code "}, {@code \}, every control character below U+0020 ({@code \n}, {@code \t}, ... by name, the others as
 * <code>&#92;u00XX</code> in lower case) and U+2028/U+2029, which some JavaScript parsers reject; other characters are
 * written as they are (the files are UTF-8).
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).characterEscapes(new Escapes()).build();

    private Json() {
    }

    /** The value as indented JSON text ending with a line break. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            Layout layout = new Layout();
            g.setPrettyPrinter(layout);
            value(g, layout, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    /** Writes {@link #write(Object)} to {@code file} in UTF-8 (atomically: {@link AtomicFiles}). */
    public static void write(Path file, Object value) {
        try {
            AtomicFiles.write(file, write(value).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void value(JsonGenerator g, Layout layout, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, layout, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object o : it) {
                value(g, layout, o);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] arr) {
            value(g, layout, Arrays.asList(arr));
        } else if (v instanceof double[] arr) {
            layout.inlineNextArray();
            g.writeStartArray();
            for (double d : arr) {
                number(g, d);
            }
            g.writeEndArray();
        } else if (v instanceof int[] arr) {
            layout.inlineNextArray();
            g.writeStartArray();
            for (int i : arr) {
                g.writeNumber(i);
            }
            g.writeEndArray();
        } else if (v instanceof long[] arr) {
            layout.inlineNextArray();
            g.writeStartArray();
            for (long l : arr) {
                g.writeNumber(l);
            }
            g.writeEndArray();
        } else if (v instanceof Double || v instanceof Float) {
            number(g, ((Number) v).doubleValue());
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            g.writeString(v.toString());
        }
    }

    /** A double by the rule above: {@link Double#toString(double)}, null when not finite. */
    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }

    /**
     * The layout described above. Jackson calls it around every object, array and separator; the writer tells it
     * which arrays go on one line.
     */
    private static final class Layout implements PrettyPrinter {

        /** Per open array: whether it is written on one line. */
        private final Deque<Boolean> arrays = new ArrayDeque<>();
        /** Open objects and multi-line arrays: the indentation of their entries. */
        private int depth;
        private boolean inlineNext;

        void inlineNextArray() {
            inlineNext = true;
        }

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("  ".repeat(depth));
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            arrays.push(inlineNext);
            if (!inlineNext) {
                depth++;
            }
            inlineNext = false;
            g.writeRaw('[');
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (!arrays.element()) {
                newline(g);
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            if (arrays.element()) {
                g.writeRaw(", ");
            } else {
                g.writeRaw(',');
                newline(g);
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (!arrays.pop()) {
                depth--;
                if (values > 0) {
                    newline(g);
                }
            }
            g.writeRaw(']');
        }
    }

    /** JSON's standard escapes, plus U+2028 and U+2029. */
    private static final class Escapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '\u2028' ? LINE_SEPARATOR : ch == '\u2029' ? PARAGRAPH_SEPARATOR : null;
        }
    }
}
