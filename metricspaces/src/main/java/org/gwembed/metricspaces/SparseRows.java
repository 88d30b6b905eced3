package org.gwembed.metricspaces;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A sparse matrix in compressed sparse row form (scipy's {@code csr_matrix}): row {@code i} holds the entries
 * {@code values[p]} at columns {@code columns[p]} for {@code p} in {@code [rowStart[i], rowStart[i + 1])}, columns
 * strictly increasing within a row, every value finite. Single-cell inputs (10x Matrix Market, CSR/CSC AnnData) are
 * kept in this form until the k-NN step ({@link KnnSearch}), which never densifies them.
 *
 * @param rows     number of rows (points)
 * @param cols     number of columns (features)
 * @param rowStart {@code rows + 1} offsets, from 0 to the number of stored entries
 * @param columns  the column of each stored entry
 * @param values   the value of each stored entry
 */
public record SparseRows(int rows, int cols, int[] rowStart, int[] columns, double[] values) {

    /** Validates the structure (offsets, increasing in-range columns, finite values); the arrays are not copied. */
    public SparseRows {
        Require.nonNull(rowStart, "rowStart");
        Require.nonNull(columns, "columns");
        Require.nonNull(values, "values");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape must be >= 0, got " + rows + "x" + cols);
        }
        if (rowStart.length != rows + 1 || rowStart[0] != 0 || rowStart[rows] != values.length
                || columns.length != values.length) {
            throw new IllegalArgumentException("rowStart must have " + (rows + 1) + " offsets from 0 to "
                    + values.length + " (columns " + columns.length + ", values " + values.length + "), got "
                    + rowStart.length + " offsets ending at " + (rowStart.length == 0 ? "?" : rowStart[rowStart.length - 1]));
        }
        for (int i = 0; i < rows; i++) {
            if (rowStart[i + 1] < rowStart[i]) {
                throw new IllegalArgumentException("rowStart decreases at row " + i);
            }
            for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
                if (columns[p] < 0 || columns[p] >= cols || (p > rowStart[i] && columns[p] <= columns[p - 1])) {
                    throw new IllegalArgumentException("row " + i + ": column " + columns[p] + " is outside [0, " + cols
                            + ") or not increasing");
                }
                if (!Double.isFinite(values[p])) {
                    throw new IllegalArgumentException("entry (" + i + ", " + columns[p] + ") must be finite, got "
                            + values[p]);
                }
            }
        }
    }

    /**
     * The matrix with entries {@code (r[t], c[t]) += v[t]} (duplicates summed, as scipy's {@code coo_matrix.tocsr()};
     * zeros kept as stored entries).
     *
     * @throws IllegalArgumentException if an index is outside the shape or a value is not finite
     */
    public static SparseRows fromTriplets(int rows, int cols, int[] r, int[] c, double[] v, int count) {
        int[] start = new int[rows + 1];
        for (int t = 0; t < count; t++) {
            if (r[t] < 0 || r[t] >= rows || c[t] < 0 || c[t] >= cols) {
                throw new IllegalArgumentException("entry (" + r[t] + ", " + c[t] + ") is outside [0, " + rows
                        + ") x [0, " + cols + ")");
            }
            start[r[t] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            start[i + 1] += start[i];
        }
        int[] fill = Arrays.copyOf(start, rows);
        int[] col = new int[count];
        double[] val = new double[count];
        for (int t = 0; t < count; t++) {
            int p = fill[r[t]]++;
            col[p] = c[t];
            val[p] = v[t];
        }
        // sort each row by column and sum duplicates, compacting in place
        int[] outStart = new int[rows + 1];
        int w = 0;
        Integer[] order = new Integer[0];
        for (int i = 0; i < rows; i++) {
            int a = start[i];
            int b = start[i + 1];
            boolean sorted = true;
            for (int p = a + 1; p < b; p++) {
                if (col[p] <= col[p - 1]) {
                    sorted = false;
                    break;
                }
            }
            if (!sorted) {
                if (order.length < b - a) {
                    order = new Integer[b - a];
                }
                for (int p = a; p < b; p++) {
                    order[p - a] = p;
                }
                int[] cc = col;
                Arrays.sort(order, 0, b - a, (x, y) -> Integer.compare(cc[x], cc[y]));
                int[] c2 = new int[b - a];
                double[] v2 = new double[b - a];
                for (int p = 0; p < b - a; p++) {
                    c2[p] = col[order[p]];
                    v2[p] = val[order[p]];
                }
                System.arraycopy(c2, 0, col, a, b - a);
                System.arraycopy(v2, 0, val, a, b - a);
            }
            outStart[i] = w;
            for (int p = a; p < b; p++) {
                if (w > outStart[i] && col[w - 1] == col[p]) {
                    val[w - 1] += val[p];
                } else {
                    col[w] = col[p];
                    val[w] = val[p];
                    w++;
                }
            }
        }
        outStart[rows] = w;
        return new SparseRows(rows, cols, outStart, Arrays.copyOf(col, w), Arrays.copyOf(val, w));
    }

    /** The non-zero entries of a dense matrix. */
    public static SparseRows fromDense(DMatrixRMaj m) {
        Require.nonNull(m, "m");
        int nnz = 0;
        for (double v : m.data) {
            if (v != 0) {
                nnz++;
            }
        }
        int[] start = new int[m.numRows + 1];
        int[] col = new int[nnz];
        double[] val = new double[nnz];
        int w = 0;
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                double v = m.data[i * m.numCols + j];
                if (v != 0) {
                    col[w] = j;
                    val[w++] = v;
                }
            }
            start[i + 1] = w;
        }
        return new SparseRows(m.numRows, m.numCols, start, col, val);
    }

    /** The number of stored entries. */
    public int storedEntries() {
        return values.length;
    }

    /** The dense {@code rows × cols} matrix. */
    public DMatrixRMaj toDense() {
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense " + rows + "x" + cols + " matrix has over 2^31 entries");
        }
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
                m.data[i * cols + columns[p]] = values[p];
            }
        }
        return m;
    }

    /** The transpose (columns become rows), in CSR form: the CSC form of this matrix. */
    public SparseRows transpose() {
        int[] start = new int[cols + 1];
        for (int c : columns) {
            start[c + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            start[j + 1] += start[j];
        }
        int[] fill = Arrays.copyOf(start, cols);
        int[] col = new int[values.length];
        double[] val = new double[values.length];
        for (int i = 0; i < rows; i++) {
            for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
                int q = fill[columns[p]]++;
                col[q] = i;
                val[q] = values[p];
            }
        }
        return new SparseRows(cols, rows, start, col, val);
    }
}
