package org.gwembed.metricspaces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import org.ejml.data.DMatrixRMaj;

/**
 * Matrix Market files in coordinate format ({@code integer} or {@code real}, {@code general}), plain or gzipped, and
 * the 10x Genomics folders that hold one: {@code matrix.mtx[.gz]} (features × cells), {@code barcodes.tsv[.gz]} and
 * {@code features.tsv[.gz]} (or {@code genes.tsv[.gz]}, older Cell Ranger). Entries listed twice are added, as
 * scipy's {@code mmread} does.
 */
public final class MatrixMarket {

    private MatrixMarket() {
    }

    /**
     * A 10x folder.
     *
     * @param featuresByCells the matrix as stored, features × cells
     * @param barcodes        one per cell (column)
     * @param features        the first column of features.tsv, one per feature (row)
     */
    public record TenX(DMatrixRMaj featuresByCells, List<String> barcodes, List<String> features) {

        /** The matrix transposed to cells × features, a row per cell as the commands take it. */
        public DMatrixRMaj cellsByFeatures() {
            DMatrixRMaj t = new DMatrixRMaj(featuresByCells.numCols, featuresByCells.numRows);
            org.ejml.dense.row.CommonOps_DDRM.transpose(featuresByCells, t);
            return t;
        }
    }

    /**
     * Reads the 10x folder {@code dir}.
     *
     * @throws InputFormatException when a file is missing, malformed, or the counts of barcodes and features do not
     *                              match the matrix
     */
    public static TenX readTenX(Path dir) {
        Checked c = checkedTenX(dir);
        return new TenX(toDense(c.matrix(), dir), c.barcodes(), c.features());
    }

    private static DMatrixRMaj toDense(SparseRows m, Path dir) {
        try {
            return m.toDense();
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(dir, e.getMessage() + " (this reader keeps 10x data sparse: "
                    + "readTenXCells)", e);
        }
    }

    private static Checked checkedTenX(Path dir) {
        Path matrix = find(dir, "matrix.mtx");
        Path barcodes = find(dir, "barcodes.tsv");
        Path features = find(dir, "features.tsv");
        if (features == null) {
            features = find(dir, "genes.tsv");
        }
        if (matrix == null || barcodes == null || features == null) {
            throw new InputFormatException(dir, "is a folder without " + (matrix == null ? "matrix.mtx[.gz]"
                    : barcodes == null ? "barcodes.tsv[.gz]" : "features.tsv[.gz]") + "; expected a 10x Matrix "
                    + "Market folder (matrix.mtx, barcodes.tsv, features.tsv, each possibly .gz)");
        }
        SparseRows m = readSparse(matrix);
        List<String> b = firstColumn(barcodes);
        List<String> f = firstColumn(features);
        if (b.size() != m.cols()) {
            throw new InputFormatException(barcodes, "has " + b.size() + " barcodes but " + matrix.getFileName()
                    + " has " + m.cols() + " columns (cells)");
        }
        if (f.size() != m.rows()) {
            throw new InputFormatException(features, "has " + f.size() + " features but " + matrix.getFileName()
                    + " has " + m.rows() + " rows (features)");
        }
        return new Checked(m, b, f);
    }

    /** A 10x folder's matrix as stored (features × cells) with its checked names. */
    private record Checked(SparseRows matrix, List<String> barcodes, List<String> features) {
    }

    private static Path find(Path dir, String name) {
        for (String n : List.of(name, name + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw new InputFormatException(file, "is not gzip data: " + e.getMessage(), e);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static List<String> firstColumn(Path file) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = open(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    int tab = line.indexOf('\t');
                    out.add(tab < 0 ? line.strip() : line.substring(0, tab));
                }
            }
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads a coordinate Matrix Market file (integer or real, general) as a dense matrix. */
    public static DMatrixRMaj read(Path file) {
        return readSparse(file).toDense();
    }

    /**
     * The cells × features matrix of the 10x folder {@code dir} in sparse form (the transpose of the stored
     * features × cells), checked against barcodes.tsv and features.tsv as {@link #readTenX} does.
     */
    public static SparseRows readTenXCells(Path dir) {
        return checkedTenX(dir).matrix().transpose();
    }

    /**
     * Reads a coordinate Matrix Market file (integer or real, general) in sparse form (duplicate entries summed, as
     * scipy's {@code mmread(...).tocsr()}).
     */
    public static SparseRows readSparse(Path file) {
        Tables.requireRegularFile(file);
        try (BufferedReader r = open(file)) {
            String banner = r.readLine();
            long line = 1;
            if (banner == null) {
                throw InputFormatException.atLine(String.valueOf(file), 1, "empty file; expected a %%MatrixMarket banner");
            }
            String[] b = banner.trim().toLowerCase(Locale.ROOT).split("\\s+");
            if (b.length != 5 || !b[0].equals("%%matrixmarket") || !b[1].equals("matrix")) {
                throw InputFormatException.atLine(String.valueOf(file), 1, "expected '%%MatrixMarket matrix coordinate real "
                        + "general', got '" + abbreviate(banner) + "'");
            }
            if (!b[2].equals("coordinate") || !(b[3].equals("real") || b[3].equals("integer"))
                    || !b[4].equals("general")) {
                throw InputFormatException.atLine(String.valueOf(file), 1, "'" + b[2] + " " + b[3] + " " + b[4] + "' is not "
                        + "supported; expected coordinate, real or integer, general");
            }
            String s;
            do {
                s = r.readLine();
                line++;
            } while (s != null && (s.isBlank() || s.startsWith("%")));
            if (s == null) {
                throw InputFormatException.atLine(String.valueOf(file), line - 1, "no size line; expected 'rows columns entries'");
            }
            long[] size = longs(file, line, s, 3, "the size line 'rows columns entries'");
            if (size[0] < 0 || size[1] < 0 || size[2] < 0 || size[0] > Integer.MAX_VALUE - 8
                    || size[1] > Integer.MAX_VALUE - 8 || size[2] > Integer.MAX_VALUE - 8) {
                throw InputFormatException.atLine(String.valueOf(file), line, "size " + size[0] + "x" + size[1]
                        + " with " + size[2] + " entries is negative or over 2^31");
            }
            int rows = (int) size[0];
            int cols = (int) size[1];
            // the entries are counted as they come: the size line is not trusted for an allocation
            int[] ri = new int[(int) Math.min(size[2], 1 << 16)];
            int[] ci = new int[ri.length];
            double[] vi = new double[ri.length];
            long entries = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank() || s.startsWith("%")) {
                    continue;
                }
                String[] f = s.trim().split("\\s+");
                if (f.length != 3) {
                    throw InputFormatException.atLine(String.valueOf(file), line, f.length + " fields; expected 'row column value'");
                }
                long i;
                long j;
                double v;
                try {
                    i = Long.parseLong(f[0]);
                    j = Long.parseLong(f[1]);
                    v = Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    throw InputFormatException.atLine(String.valueOf(file), line, "'" + abbreviate(s) + "' is not 'row column "
                            + "value' with integer indices");
                }
                if (i < 1 || i > rows || j < 1 || j > cols) {
                    throw InputFormatException.atLine(String.valueOf(file), line, "entry (" + i + ", " + j + ") is outside [1, "
                            + rows + "] x [1, " + cols + "]");
                }
                if (!Double.isFinite(v)) {
                    throw InputFormatException.atLine(String.valueOf(file), line, "value must be finite, got " + f[2]);
                }
                if (entries == ri.length) {
                    int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, 2L * ri.length));
                    ri = java.util.Arrays.copyOf(ri, grown);
                    ci = java.util.Arrays.copyOf(ci, grown);
                    vi = java.util.Arrays.copyOf(vi, grown);
                }
                ri[(int) entries] = (int) i - 1;
                ci[(int) entries] = (int) j - 1;
                vi[(int) entries] = v;
                entries++;
            }
            if (entries != size[2]) {
                throw InputFormatException.atLine(String.valueOf(file), line, "has " + entries + " entries; the size line says "
                        + size[2]);
            }
            return SparseRows.fromTriplets(rows, cols, ri, ci, vi, (int) entries);
        } catch (InputFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static long[] longs(Path file, long line, String s, int n, String what) {
        String[] f = s.trim().split("\\s+");
        if (f.length != n) {
            throw InputFormatException.atLine(String.valueOf(file), line, "'" + abbreviate(s) + "'; expected " + what);
        }
        long[] out = new long[n];
        try {
            for (int k = 0; k < n; k++) {
                out[k] = Long.parseLong(f[k]);
            }
        } catch (NumberFormatException e) {
            throw InputFormatException.atLine(String.valueOf(file), line, "'" + abbreviate(s) + "'; expected " + what);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
