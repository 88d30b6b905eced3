package org.gwembed.metricspaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;

/**
 * The reader behind {@link Tables#readDelimited}: delimited text parsed as bytes, in parallel by blocks of lines,
 * the numbers by FastDoubleParser (correctly rounded, as {@code Double.parseDouble} and Python's {@code float}).
 * The rules are {@link Tables}' (class comment); this class only makes them fast: a 180 MB distance matrix took
 * ~8 s through {@code BufferedReader}, {@code String.split} and {@code Double.parseDouble}.
 *
 * <p>How. The first significant line (after blank and {@code #} lines) is read on its own: it fixes the delimiter,
 * the number of columns and whether it is a header. The rest of the file is cut into blocks at line ends, and each
 * block is read once and parsed into an array of its own, sized from the first line's bytes per value; the blocks'
 * arrays are then joined into the table's.
 * A problem is reported for the first offending line of the file, whichever block found it, with its line number.
 */
final class DelimitedText {

    /** Bytes per block at most, so that a block's buffer stays small whatever the file's size. */
    static final int MAX_BLOCK = 32 << 20;
    /** Blocks per thread, at least, for balance. */
    private static final int BLOCKS_PER_THREAD = 4;
    /** How much is read at a time while looking for a line end. */
    private static final int PROBE = 64 << 10;

    private DelimitedText() {
    }

    /** What the first significant line fixed. */
    private record Layout(byte delimiter, int columns, long firstRowLine, List<String> header, long dataStart,
            long dataLine, double bytesPerValue) {
    }

    /** A problem found in a block: its line within the block (0-based) and the message. */
    private record Problem(long line, String message) {
    }

    /**
     * What a block holds: its rows' values (the first {@code rows · columns} entries), its lines (all of them, for
     * the line numbers of later blocks) and its first problem, if any.
     */
    private record Block(double[] values, long rows, long lines, Problem problem) {
    }

    static Tables.Table read(Path file, int threads) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel, threads);
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputFormatException(file, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tables.Table read(Path file, FileChannel channel, int threads) throws IOException {
        long size = channel.size();
        Layout layout = layout(file, channel, size);
        if (layout == null) {
            throw new InputFormatException(file, Math.max(1, parse(readRange(channel, 0, size), null).lines()),
                    "no data rows (the file is empty or holds only blank and comment lines)");
        }
        long[] bounds = blocks(channel, layout.dataStart(), size, threads);
        int blocks = bounds.length - 1;
        Block[] parsed = new Block[blocks];
        Parallel.forEach(blocks, threads, b -> {
            byte[] bytes = readRange(channel, bounds[b], bounds[b + 1]);
            parsed[b] = parse(bytes, layout);
        });
        long line = layout.dataLine();
        long rows = 0;
        for (Block block : parsed) {
            if (block.problem() != null) {
                throw new InputFormatException(file, line + block.problem().line(), block.problem().message());
            }
            line += block.lines();
            rows += block.rows();
        }
        if (rows == 0) {
            throw new InputFormatException(file, Math.max(line - 1, 1), layout.header().isEmpty()
                    ? "no data rows (the file is empty or holds only blank and comment lines)"
                    : "no data rows after the header");
        }
        int columns = layout.columns();
        long entries = rows * columns;
        if (entries > Integer.MAX_VALUE - 8) {
            throw new InputFormatException(file, "holds " + rows + " rows of " + columns + " values, more than one"
                    + " Java array can hold (2^31 - 9 values)", null);
        }
        double[] data;
        if (blocks == 1 && parsed[0].values().length == entries) {
            data = parsed[0].values();
        } else {
            data = allocate(file, rows, columns);
            int at = 0;
            for (int b = 0; b < blocks; b++) {
                int length = (int) (parsed[b].rows() * columns);
                System.arraycopy(parsed[b].values(), 0, data, at, length);
                parsed[b] = null;
                at += length;
            }
        }
        return new Tables.Table(DMatrixRMaj.wrap((int) rows, columns, data), layout.header(), file);
    }

    /** The table's array, or a clear refusal when the heap cannot hold it. */
    private static double[] allocate(Path file, long rows, int columns) {
        try {
            return new double[Math.toIntExact(rows * columns)];
        } catch (OutOfMemoryError e) {
            throw new InputFormatException(file, "its " + rows + " x " + columns + " values need "
                    + (8 * rows * columns >> 20) + " MiB, more than the heap has free ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most); raise -Xmx", null);
        }
    }

    // ------------------------------------------------------------------------------------------------ layout

    /**
     * Reads lines from the start until the first significant one and decides the layout from it; null when there
     * is none.
     */
    private static Layout layout(Path file, FileChannel channel, long size) throws IOException {
        long pos = 0;
        long lineNo = 0;
        byte[] bom = readRange(channel, 0, Math.min(3, size));
        if (bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF) {
            pos = 3;
        }
        while (pos < size) {
            long end = lineEnd(channel, pos, size);
            lineNo++;
            byte[] line = readRange(channel, pos, end);
            long next = afterLineEnd(channel, end, size);
            int from = 0;
            int to = line.length;
            while (from < to && space(line[from])) {
                from++;
            }
            while (to > from && space(line[to - 1])) {
                to--;
            }
            if (from == to || line[from] == '#') {
                pos = next;
                continue;
            }
            String t = decode(file, line, from, to);
            byte delimiter = (byte) (t.indexOf('\t') >= 0 ? '\t' : t.indexOf(',') >= 0 ? ',' : ' ');
            String[] fields = split(t, delimiter);
            boolean isHeader = false;
            for (String f : fields) {
                if (!f.isEmpty() && !Tables.isNumber(unquote(f).strip())) {
                    isHeader = true;
                    break;
                }
            }
            List<String> header = List.of();
            long dataStart = pos;
            long dataLine = lineNo;
            if (isHeader) {
                List<String> names = new ArrayList<>(fields.length);
                for (String f : fields) {
                    names.add(unquote(f));
                }
                header = names;
                dataStart = next;
                dataLine = lineNo + 1;
            }
            double bytesPerValue = Math.max(2.0, (double) (to - from + 1) / fields.length);
            return new Layout(delimiter, fields.length, lineNo, header, dataStart, dataLine, bytesPerValue);
        }
        return null;
    }

    private static String decode(Path file, byte[] line, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputFormatException(file, "not a UTF-8 text file (is it binary?)", e);
        }
    }

    private static String[] split(String t, byte delimiter) {
        if (delimiter == ' ') {
            return t.split("\\s+");
        }
        String[] parts = t.split(delimiter == '\t' ? "\t" : ",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    static String unquote(String f) {
        if (f.length() >= 2) {
            char a = f.charAt(0);
            char b = f.charAt(f.length() - 1);
            if ((a == '"' || a == '\'') && a == b) {
                return f.substring(1, f.length() - 1);
            }
        }
        return f;
    }

    // ------------------------------------------------------------------------------------------------ blocks

    /**
     * Block boundaries over {@code [start, size)}, each at the start of a line: about {@code 4 · threads} blocks, none
     * longer than {@link #MAX_BLOCK} unless a single line is.
     */
    private static long[] blocks(FileChannel channel, long start, long size, int threads) throws IOException {
        long span = size - start;
        long count = Math.max((long) BLOCKS_PER_THREAD * threads, (span + MAX_BLOCK - 1) / MAX_BLOCK);
        count = Math.max(1, Math.min(count, Math.max(1, span / 4096)));
        List<Long> bounds = new ArrayList<>();
        bounds.add(start);
        for (long k = 1; k < count; k++) {
            long nominal = start + span * k / count;
            long last = bounds.get(bounds.size() - 1);
            if (nominal <= last) {
                continue;
            }
            long end = lineEnd(channel, nominal, size);
            long next = afterLineEnd(channel, end, size);
            if (next > last && next < size) {
                bounds.add(next);
            }
        }
        bounds.add(size);
        long[] out = new long[bounds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bounds.get(i);
        }
        return out;
    }

    /** The position of the first line end ({@code \n} or {@code \r}) at or after {@code pos}, or {@code size}. */
    private static long lineEnd(FileChannel channel, long pos, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(PROBE);
        long at = pos;
        while (at < size) {
            buf.clear();
            int n = channel.read(buf, at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte c = buf.get(i);
                if (c == '\n' || c == '\r') {
                    return at + i;
                }
            }
            at += n;
        }
        return size;
    }

    /** The start of the line after the line end at {@code end} ({@code \r\n} counts as one). */
    private static long afterLineEnd(FileChannel channel, long end, long size) throws IOException {
        if (end >= size) {
            return size;
        }
        byte[] two = readRange(channel, end, Math.min(size, end + 2));
        return two[0] == '\r' && two.length == 2 && two[1] == '\n' ? end + 2 : end + 1;
    }

    private static byte[] readRange(FileChannel channel, long from, long to) {
        int length = Math.toIntExact(to - from);
        byte[] bytes = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, from + buf.position());
                if (n < 0) {
                    throw new IOException("the file ended early (changed while being read?)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------ passes

    /** Whether {@code c} is white space as {@link String#strip()} sees ASCII: space, \t, \n, \u000B, \f, \r, \u001C–\u001F. */
    private static boolean space(byte c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }

    /**
     * Parses the data lines of a block, counting its lines; stops at the first problem. With {@code layout} null it
     * only counts lines. One call per line does the parsing ({@link #parseLine}), so that the JIT compiles it early
     * in a fresh process rather than only the loop around it, by on-stack replacement.
     */
    private static Block parse(byte[] b, Layout layout) {
        int n = b.length;
        int columns = layout == null ? 0 : layout.columns();
        // room for the values at the first line's bytes per value, grown when the block packs them tighter
        long guess = layout == null ? 0 : (long) (n / layout.bytesPerValue() * 1.05) + columns;
        double[] out = new double[(int) Math.min(guess, Integer.MAX_VALUE - 8)];
        int i = 0;
        long line = 0;
        long rows = 0;
        int w = 0;
        while (i < n) {
            int j = i;
            while (j < n && b[j] != '\n' && b[j] != '\r') {
                j++;
            }
            int from = i;
            int to = j;
            while (from < to && space(b[from])) {
                from++;
            }
            while (to > from && space(b[to - 1])) {
                to--;
            }
            if (layout != null && from < to && b[from] != '#') {
                if (w + columns > out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8,
                            Math.max((long) w + columns, 3L * out.length / 2 + columns)));
                }
                String problem = parseLine(b, from, to, layout, out, w);
                if (problem != null) {
                    return new Block(out, rows, line, new Problem(line, problem));
                }
                w += columns;
                rows++;
            }
            line++;
            i = j < n && b[j] == '\r' && j + 1 < n && b[j + 1] == '\n' ? j + 2 : j + 1;
        }
        return new Block(out, rows, line, null);
    }

    /** Parses the stripped data line {@code b[from, to)} into {@code out[w ..]}; returns a problem, or null. */
    private static String parseLine(byte[] b, int from, int to, Layout layout, double[] out, int w) {
        int columns = layout.columns();
        byte delimiter = layout.delimiter();
        int c = 0;
        int f = from;
        while (true) {
            int e = f;
            if (delimiter == ' ') {
                while (e < to && !space(b[e])) {
                    e++;
                }
            } else {
                while (e < to && b[e] != delimiter) {
                    e++;
                }
            }
            if (c < columns) {
                int fs = f;
                int fe = e;
                while (fs < fe && space(b[fs])) {
                    fs++;
                }
                while (fe > fs && space(b[fe - 1])) {
                    fe--;
                }
                if (fe - fs >= 2 && (b[fs] == '"' || b[fs] == '\'') && b[fe - 1] == b[fs]) {
                    // a quoted field ("1.5" as spreadsheets write it): the quotes are dropped
                    fs++;
                    fe--;
                    while (fs < fe && space(b[fs])) {
                        fs++;
                    }
                    while (fe > fs && space(b[fe - 1])) {
                        fe--;
                    }
                }
                if (fs == fe) {
                    return problem(b, from, to, layout, "column " + (c + 1) + " is empty");
                }
                double v = number(b, fs, fe);
                if (Double.isNaN(v) && !isNan(b, fs, fe)) {
                    return problem(b, from, to, layout, "column " + (c + 1) + ": '"
                            + abbreviate(new String(b, fs, fe - fs, StandardCharsets.UTF_8)) + "' is not a number");
                }
                out[w + c] = v;
            }
            c++;
            if (e >= to) {
                break;
            }
            f = e + 1;
            if (delimiter == ' ') {
                while (f < to && space(b[f])) {
                    f++;
                }
            }
        }
        return c != columns ? fieldCount(c, layout) : null;
    }

    /**
     * A problem with a field of the line {@code b[from, to)}: as the text reader always did, a line with the wrong
     * number of fields is reported as such, whatever its fields hold.
     */
    private static String problem(byte[] b, int from, int to, Layout layout, String message) {
        int c = fields(b, from, to, layout.delimiter());
        return c != layout.columns() ? fieldCount(c, layout) : message;
    }

    private static String fieldCount(int fields, Layout layout) {
        return "row has " + fields + " fields, expected " + layout.columns() + " (as on line " + layout.firstRowLine()
                + ")" + describe(layout.delimiter());
    }

    /** The number of fields of the stripped, non-empty line {@code b[from, to)}. */
    private static int fields(byte[] b, int from, int to, byte delimiter) {
        int c = 1;
        for (int i = from; i < to; i++) {
            if (delimiter == ' ') {
                if (space(b[i])) {
                    c++;
                    while (i + 1 < to && space(b[i + 1])) {
                        i++;
                    }
                }
            } else if (b[i] == delimiter) {
                c++;
            }
        }
        return c;
    }

    private static String describe(byte delimiter) {
        return switch (delimiter) {
            case '\t' -> ", tab-separated";
            case ',' -> ", comma-separated";
            default -> ", whitespace-separated";
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /**
     * The number in {@code b[from, to)} in {@link Tables#isNumber}'s syntax, or NaN when it is not one (a NaN that
     * is one, {@code nan} in any case, is told apart by {@link #isNan}).
     */
    static double number(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
        }
        int len = to - i;
        if (len == 3 || len == 8) {
            if (word(b, i, to, "nan")) {
                return Double.NaN;
            }
            if (word(b, i, to, "inf") || word(b, i, to, "infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        int digits = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
            digits++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int exp = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
                exp++;
            }
            if (exp == 0) {
                return Double.NaN;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        return JavaDoubleParser.parseDouble(b, from, to - from);
    }

    private static boolean isNan(byte[] b, int from, int to) {
        int i = b[from] == '+' || b[from] == '-' ? from + 1 : from;
        return to - i == 3 && word(b, i, to, "nan");
    }

    /** Whether {@code b[from, to)} is {@code word} (lower case) in any case. */
    private static boolean word(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((b[from + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
