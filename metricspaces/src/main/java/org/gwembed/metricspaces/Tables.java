package org.gwembed.metricspaces;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Parallel;
import org.gwembed.core.Require;

/**
 * Numeric tables on disk: delimited text (CSV, TSV, whitespace-separated) and NumPy {@code .npy} arrays, read into
 * a {@link Table} and written back. Used for feature matrices, precomputed distance matrices, weight vectors and
 * (by the CLI) transport plans.
 *
 * <p><b>Text</b> ({@link #readDelimited(Path)}): UTF-8 (a leading byte-order mark is dropped); {@code \n},
 * {@code \r\n} and {@code \r} line ends; blank lines and lines whose first non-blank character is {@code #}
 * are skipped. The delimiter is decided by the first remaining line: a tab if it holds one, else a comma if it
 * holds one, else runs of whitespace. That first line is a header when one of its non-empty fields is not a
 * number (fields, of the header and of the data, may be quoted with {@code "} or {@code '}, the quotes are
 * dropped; quoted delimiters are not supported).
 * Numbers are decimal ({@code 1}, {@code -2.5}, {@code .5}, {@code 1e-3}, {@code 6.02E+23}) or
 * {@code nan}/{@code inf}/{@code infinity} in any case with an optional sign, as NumPy writes them. Every row must
 * have as many fields as the first; problems raise a {@link InputFormatException} naming file, line and column.
 * The text is parsed as bytes, in parallel by blocks of lines, the numbers by FastDoubleParser (correctly rounded).
 *
 * <p><b>NumPy</b> ({@link #readNpy(Path)}): format versions 1.0, 2.0 and 3.0; dtypes {@code <f8}, {@code <f4},
 * {@code <i8}, {@code <i4}, {@code <i2}, {@code |i1}, {@code <u8}, {@code <u4}, {@code <u2}, {@code |u1} and
 * {@code |b1} (false/true as 0/1), converted to {@code double} ({@code u8}/{@code i8} values beyond 2<sup>53</sup>
 * round to the nearest double); 1-D arrays of length {@code n} become {@code n × 1}; C and Fortran order (the
 * latter is transposed into row-major order). Big-endian dtypes, structured dtypes, 0-D and 3-D or higher arrays,
 * empty arrays, and files shorter or longer than their header promises are refused with a
 * {@link InputFormatException}. The data are decoded from the file mapped into memory (no copy of the file on the
 * heap, files past 2 GiB work); a table that the heap cannot hold is refused with a message giving the size it needs.
 *
 * <p>Writers (each writes a temporary file beside the target and renames it when complete, {@link AtomicFiles}):
 * {@link #writeCsv} writes {@link Double#toString(double)} values, which read back bit for bit;
 * {@link #writeNpy(Path, DMatrixRMaj)} writes {@code <f8}, C order, format 1.0, readable by {@code numpy.load}.
 */
public final class Tables {

    /** The magic string that starts every {@code .npy} file. */
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Text extensions that {@link #read(Path)} hands to {@link #readDelimited(Path)}. */
    private static final List<String> TEXT_EXTENSIONS = List.of("csv", "tsv", "tab", "txt", "dat");

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])(.*?)\\1");
    private static final Pattern DESCR_LIST = Pattern.compile("['\"]descr['\"]\\s*:\\s*\\[");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Tables() {
    }

    /**
     * A numeric table as read from a file.
     *
     * @param values the values, one matrix row per table row (the caller owns it)
     * @param header the column names when the file has a header line, else empty
     * @param source the file it was read from
     */
    public record Table(DMatrixRMaj values, List<String> header, Path source) {

        /** Validates the shape of the header against the values and copies the header. */
        public Table {
            Require.nonNull(values, "values");
            Require.nonNull(header, "header");
            Require.nonNull(source, "source");
            if (!header.isEmpty() && header.size() != values.numCols) {
                throw new IllegalArgumentException("header has " + header.size() + " names " + header
                        + " but values have " + values.numCols + " columns");
            }
            header = List.copyOf(header);
        }

        /** The number of rows. */
        public int rows() {
            return values.numRows;
        }

        /** The number of columns. */
        public int columns() {
            return values.numCols;
        }
    }

    /**
     * Reads a table, choosing the format by the file name: {@code .npy} → {@link #readNpy(Path)};
     * {@code .csv}, {@code .tsv}, {@code .tab}, {@code .txt}, {@code .dat} → {@link #readDelimited(Path)}.
     *
     * @throws InputFormatException     if the file is missing, malformed, or its extension is none of these
     * @throws UncheckedIOException     on other I/O failures
     */
    public static Table read(Path file) {
        Require.nonNull(file, "file");
        requireRegularFile(file);
        String ext = extension(file);
        if (ext.equals("npy")) {
            return readNpy(file);
        }
        if (ext.equals("npz")) {
            return NumpyArchives.readTable(file);
        }
        if (TEXT_EXTENSIONS.contains(ext)) {
            return withoutPandasIndex(readDelimited(file));
        }
        throw new InputFormatException(file, "unsupported file extension '" + ext + "', expected .npy, .npz or one of "
                + TEXT_EXTENSIONS, null);
    }

    /**
     * The table without its first column when that is pandas' default index ({@code DataFrame.to_csv}): a header
     * whose first name is empty and a first column 0, 1, …, n−1.
     */
    static Table withoutPandasIndex(Table t) {
        DMatrixRMaj v = t.values();
        if (t.header().isEmpty() || !t.header().get(0).isBlank() || v.numCols < 2) {
            return t;
        }
        for (int i = 0; i < v.numRows; i++) {
            if (v.get(i, 0) != i) {
                return t;
            }
        }
        DMatrixRMaj rest = new DMatrixRMaj(v.numRows, v.numCols - 1);
        for (int i = 0; i < v.numRows; i++) {
            System.arraycopy(v.data, i * v.numCols + 1, rest.data, i * rest.numCols, rest.numCols);
        }
        return new Table(rest, t.header().subList(1, t.header().size()), t.source());
    }

    /**
     * Reads a vector: a table with one column (one number per line, or a 1-D {@code .npy}) or one row.
     *
     * @throws InputFormatException if the file does not hold a single row or column
     */
    public static double[] readVector(Path file) {
        Table t = read(file);
        if (t.columns() == 1 || t.rows() == 1) {
            return Arrays.copyOf(t.values().data, t.rows() * t.columns());
        }
        throw new InputFormatException(file, "expected a vector (one number per line, or a 1-D array), got a "
                + t.rows() + "x" + t.columns() + " table", null);
    }

    // ---------------------------------------------------------------------------------------------------- text

    /**
     * Reads a delimited text table (see the class comment for the rules).
     *
     * @throws InputFormatException if the file is missing, has no data rows, a row of a different length than
     *                              the first, or a field that is not a number (the message names file, line and
     *                              1-based column)
     */
    public static Table readDelimited(Path file) {
        return readDelimited(file, Parallel.defaultThreads());
    }

    /** As {@link #readDelimited(Path)}, parsed by {@code threads} threads (by blocks of lines). */
    public static Table readDelimited(Path file, int threads) {
        Require.nonNull(file, "file");
        Require.atLeast(threads, 1, "threads");
        requireRegularFile(file);
        return DelimitedText.read(file, threads);
    }

    /** Refuses a directory (or other non-file) given where a file is read, with a message naming it. */
    static void requireRegularFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputFormatException(file, "is a directory, expected a file");
        }
    }

    /**
     * Whether {@code s} is a number in the syntax the text reader accepts: {@code [+-]? (digits [. digits?] |
     * . digits) ([eE] [+-]? digits)?}, or {@code [+-]? (nan | inf | infinity)} in any case.
     */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        String rest = s.substring(i).toLowerCase(Locale.ROOT);
        if (rest.equals("nan") || rest.equals("inf") || rest.equals("infinity")) {
            return true;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Writes a table as comma-separated text: an optional header line, then one line per row of
     * {@link Double#toString(double)} values, which {@link #readDelimited(Path)} reads back exactly.
     *
     * @param file   the file, created or replaced
     * @param values the values (not modified)
     * @param header column names ({@code values.numCols} of them) or an empty list for no header; a name must not
     *               contain a comma, quote, tab or line break, and at least one name must not be a number (else the
     *               reader would take the header for data)
     * @throws IllegalArgumentException if the header does not fit
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static void writeCsv(Path file, DMatrixRMaj values, List<String> header) {
        Require.nonNull(file, "file");
        Require.nonNull(values, "values");
        Require.nonNull(header, "header");
        if (!header.isEmpty()) {
            if (header.size() != values.numCols) {
                throw new IllegalArgumentException("header has " + header.size() + " names but values have "
                        + values.numCols + " columns");
            }
            boolean anyText = false;
            for (String h : header) {
                Require.nonNull(h, "header name");
                if (h.matches(".*[,\"'\t\r\n].*") || !h.equals(h.strip()) || h.startsWith("#")) {
                    throw new IllegalArgumentException("header name '" + h + "' must not contain a comma, quote, tab"
                            + " or line break, start with '#', or have surrounding spaces");
                }
                anyText |= !isNumber(h);
            }
            if (!anyText) {
                throw new IllegalArgumentException("header " + header + " holds only numbers; a reader could not"
                        + " tell it from data");
            }
        }
        try {
            AtomicFiles.write(file, stream -> writeCsvText(stream, values, header));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeCsvText(OutputStream stream, DMatrixRMaj values, List<String> header)
            throws IOException {
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        if (!header.isEmpty()) {
            out.write(String.join(",", header));
            out.write('\n');
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < values.numRows; r++) {
            sb.setLength(0);
            for (int c = 0; c < values.numCols; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(Double.toString(values.unsafe_get(r, c)));
            }
            sb.append('\n');
            out.write(sb.toString());
        }
        out.flush();
    }

    // ----------------------------------------------------------------------------------------------------- npy

    /**
     * Reads a NumPy {@code .npy} array (see the class comment for what is supported).
     *
     * @throws InputFormatException if the file is missing, not an {@code .npy} file, truncated, or holds an
     *                              unsupported dtype or shape; the message names the file and the problem
     */
    public static Table readNpy(Path file) {
        return readNpy(file, NPY_SEGMENT);
    }

    /** As {@link #readNpy(Path)}, mapping at most {@code segment} bytes of data at a time (tests take small ones). */
    static Table readNpy(Path file, long segment) {
        Require.nonNull(file, "file");
        requireRegularFile(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readNpy(file, new NpySource() {
                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public byte[] readAt(long position, int length) throws IOException {
                    return Tables.readAt(channel, position, length);
                }

                @Override
                public ByteBuffer map(long position, long length) throws IOException {
                    return channel.map(FileChannel.MapMode.READ_ONLY, position, length);
                }
            }, segment);
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputFormatException(file, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code .npy} bytes held in memory (an entry of a {@code .npz} archive); {@code name} names it in
     * messages.
     */
    static Table readNpy(Path name, byte[] bytes) {
        try {
            return readNpy(name, new NpySource() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public byte[] readAt(long position, int length) {
                    int from = (int) Math.min(position, bytes.length);
                    return Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, (long) from + length));
                }

                @Override
                public ByteBuffer map(long position, long length) {
                    return ByteBuffer.wrap(bytes, (int) position, (int) length).slice();
                }
            }, NPY_SEGMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the bytes of an {@code .npy} array come from: a mapped file, or memory. */
    private interface NpySource {
        long size() throws IOException;

        byte[] readAt(long position, int length) throws IOException;

        ByteBuffer map(long position, long length) throws IOException;
    }

    /** Largest {@code .npy} header accepted (NumPy writes a few hundred bytes; the format allows 4 GiB). */
    static final int MAX_NPY_HEADER = 1 << 20;

    /** Bytes of the data mapped at a time (a mapping holds at most 2 GiB). */
    private static final long NPY_SEGMENT = 1L << 30;

    /**
     * Reads the preamble and header, validates them against the file's length, then decodes the data from the file
     * mapped into memory segment by segment (no copy of the file on the heap; files past 2 GiB work).
     */
    private static Table readNpy(Path file, NpySource channel, long segment) throws IOException {
        long fileLength = channel.size();
        byte[] preamble = channel.readAt(0, (int) Math.min(12, fileLength));
        if (preamble.length < 10 || !Arrays.equals(preamble, 0, NPY_MAGIC.length, NPY_MAGIC, 0, NPY_MAGIC.length)) {
            throw new InputFormatException(file, "not a NumPy .npy file (missing the \\x93NUMPY magic string)", null);
        }
        int major = preamble[6] & 0xff;
        int minor = preamble[7] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(preamble).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (preamble.length < 12) {
                throw new InputFormatException(file, "truncated .npy header (file has " + fileLength + " bytes)",
                        null);
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new InputFormatException(file, "unsupported .npy format version " + major + "." + minor
                    + ", expected 1.0, 2.0 or 3.0", null);
        }
        if (headerStart + headerLength > fileLength) {
            throw new InputFormatException(file, "truncated .npy header: it declares " + headerLength
                    + " bytes but the file has only " + (fileLength - headerStart) + " after the preamble", null);
        }
        if (headerLength > MAX_NPY_HEADER) {
            throw new InputFormatException(file, "the .npy header declares " + headerLength + " bytes, more than the "
                    + MAX_NPY_HEADER + " accepted (NumPy writes a few hundred)", null);
        }
        byte[] bytes = channel.readAt(headerStart, (int) headerLength);
        String header = new String(bytes, 0, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long dataStart = headerStart + headerLength;

        if (DESCR_LIST.matcher(header).find()) {
            throw new InputFormatException(file, "structured dtypes are not supported (header " + header.strip()
                    + ")", null);
        }
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new InputFormatException(file, "the .npy header has no 'descr' entry: " + header.strip(), null);
        }
        String descr = m.group(2);
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new InputFormatException(file, "the .npy header has no 'fortran_order' entry: " + header.strip(),
                    null);
        }
        boolean fortran = f.group(1).equals("True");
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new InputFormatException(file, "the .npy header has no 'shape' entry: " + header.strip(), null);
        }
        long[] shape = parseShape(file, s.group(1));
        int itemSize = itemSize(file, descr);

        if (shape.length == 0 || shape.length > 2) {
            throw new InputFormatException(file, "array has " + shape.length + " dimensions "
                    + Arrays.toString(shape) + ", expected 1 or 2", null);
        }
        long rows = shape[0];
        long cols = shape.length == 2 ? shape[1] : 1;
        long count = rows * cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 8) {
            throw new InputFormatException(file, "array of shape " + Arrays.toString(shape)
                    + " does not fit in one Java array", null);
        }
        if (count == 0) {
            throw new InputFormatException(file, "array of shape " + Arrays.toString(shape) + " holds no values"
                    + " (the text reader likewise refuses a table without data rows)", null);
        }
        long expected = count * itemSize;
        long available = fileLength - dataStart;
        if (available < expected) {
            throw new InputFormatException(file, "truncated: shape " + Arrays.toString(shape) + " of " + descr
                    + " needs " + expected + " data bytes but only " + available + " follow the header", null);
        }
        if (available > expected) {
            throw new InputFormatException(file, "has " + (available - expected) + " bytes after the data that"
                    + " shape " + Arrays.toString(shape) + " of " + descr + " accounts for", null);
        }
        double[] raw = allocate(file, rows, cols);
        for (long done = 0; done < count; ) {
            int items = (int) Math.min(count - done, Math.max(1, segment / itemSize));
            ByteBuffer mapped = channel.map(dataStart + done * itemSize, (long) items * itemSize)
                    .order(ByteOrder.LITTLE_ENDIAN);
            decode(mapped, descr, raw, (int) done, items);
            done += items;
        }
        double[] out;
        if (fortran && shape.length == 2 && rows > 1 && cols > 1) {
            // Column-major on disk: element (r, c) is at c * rows + r.
            out = allocate(file, rows, cols);
            int nr = (int) rows;
            int nc = (int) cols;
            for (int c = 0; c < nc; c++) {
                for (int r = 0; r < nr; r++) {
                    out[r * nc + c] = raw[c * nr + r];
                }
            }
        } else {
            out = raw;
        }
        return new Table(DMatrixRMaj.wrap((int) rows, (int) cols, out), List.of(), file);
    }

    /** {@code length} bytes from {@code position} (fewer only at the end of the file). */
    private static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A {@code rows × cols} array, or a refusal that says how much heap it needs. */
    private static double[] allocate(Path file, long rows, long cols) {
        try {
            return new double[Math.toIntExact(rows * cols)];
        } catch (OutOfMemoryError e) {
            throw new InputFormatException(file, "its " + rows + " x " + cols + " values need "
                    + (8 * rows * cols >> 20) + " MiB, more than the heap has free ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB at most); raise -Xmx", null);
        }
    }

    private static long[] parseShape(Path file, String inner) {
        String[] parts = inner.split(",");
        List<Long> dims = new ArrayList<>();
        for (String p : parts) {
            String t = p.strip();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new InputFormatException(file, "bad shape (" + inner + ") in the .npy header", e);
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static int itemSize(Path file, String descr) {
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new InputFormatException(file, "unsupported dtype '" + descr + "'", null);
        }
        String type = descr.substring(1);
        int size = switch (type) {
            case "f8", "i8", "u8" -> 8;
            case "f4", "i4", "u4" -> 4;
            case "i2", "u2" -> 2;
            case "i1", "u1", "b1" -> 1;
            default -> throw new InputFormatException(file, "unsupported dtype '" + descr + "', expected one of"
                    + " <f8 <f4 <i8 <i4 <i2 |i1 <u8 <u4 <u2 |u1 |b1", null);
        };
        char order = descr.charAt(0);
        if (size > 1 && order == '>') {
            throw new InputFormatException(file, "big-endian dtype '" + descr + "' is not supported; save the array"
                    + " little-endian, e.g. np.save(path, a.astype('<" + type + "'))", null);
        }
        if (size > 1 && order != '<') {
            throw new InputFormatException(file, "dtype '" + descr + "' has no explicit byte order; expected '<"
                    + type + "'", null);
        }
        return size;
    }

    /** Decodes {@code n} items of {@code descr} from the start of {@code buf} into {@code out[to ..]}. */
    private static void decode(ByteBuffer buf, String descr, double[] out, int to, int n) {
        String type = descr.substring(1);
        switch (type) {
            case "f8" -> buf.asDoubleBuffer().get(out, to, n);
            case "f4" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getFloat(4 * i);
                }
            }
            case "i8" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getLong(8 * i);
                }
            }
            case "u8" -> {
                for (int i = 0; i < n; i++) {
                    long v = buf.getLong(8 * i);
                    out[to + i] = v >= 0 ? v : new BigInteger(Long.toUnsignedString(v)).doubleValue();
                }
            }
            case "i4" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getInt(4 * i);
                }
            }
            case "u4" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getInt(4 * i) & 0xffffffffL;
                }
            }
            case "i2" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getShort(2 * i);
                }
            }
            case "u2" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.getShort(2 * i) & 0xffff;
                }
            }
            case "i1" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.get(i);
                }
            }
            case "u1" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.get(i) & 0xff;
                }
            }
            case "b1" -> {
                for (int i = 0; i < n; i++) {
                    out[to + i] = buf.get(i) != 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalStateException("unreachable dtype " + descr);
        }
    }

    /**
     * Writes a matrix as a NumPy {@code .npy} file: format 1.0, dtype {@code <f8}, C order, shape
     * {@code (rows, cols)}; the header is padded so that the data start at a multiple of 64 bytes, as NumPy does.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeNpy(Path file, DMatrixRMaj values) {
        Require.nonNull(file, "file");
        Require.nonNull(values, "values");
        writeNpy(file, values.data, values.numRows * values.numCols,
                "(" + values.numRows + ", " + values.numCols + ")");
    }

    /** Writes a vector as a 1-D {@code <f8} {@code .npy} file of shape {@code (n,)}. */
    public static void writeNpy(Path file, double[] values) {
        Require.nonNull(file, "file");
        Require.nonNull(values, "values");
        writeNpy(file, values, values.length, "(" + values.length + ",)");
    }

    private static void writeNpy(Path file, double[] data, int count, String shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer pre = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        pre.put(header.getBytes(StandardCharsets.ISO_8859_1));
        try {
            AtomicFiles.write(file, out -> writeNpyData(out, pre.array(), data, count));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeNpyData(OutputStream out, byte[] preamble, double[] data, int count) throws IOException {
        out.write(preamble);
        ByteBuffer chunk = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            chunk.putDouble(data[i]);
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static String extension(Path file) {
        Path name = file.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
