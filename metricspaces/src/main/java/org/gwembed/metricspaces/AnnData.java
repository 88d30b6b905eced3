package org.gwembed.metricspaces;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.ejml.data.DMatrixRMaj;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

/**
 * Reads AnnData {@code .h5ad} files (HDF5, through the pure-Java jhdf) as the matrices and labels the single-cell
 * commands take:
 * <ul>
 * <li>a matrix at a key: {@code X} (the default), {@code obsm/X_pca}, {@code layers/NAME} or any other path, stored
 *     as a 2-D dense dataset of any numeric type, or as a sparse CSR/CSC group (datasets {@code data},
 *     {@code indices}, {@code indptr} and a {@code shape} attribute, as anndata and h5sparse write them);</li>
 * <li>labels from an {@code obs} column: categorical (a group of {@code codes} and {@code categories}, anndata ≥
 *     0.8; or codes with {@code obs/__categories/NAME}, older anndata; code −1 reads as {@code NA}), strings, or
 *     integers.</li>
 * </ul>
 * Every problem is an {@link InputFormatException} naming the file, the key and what was expected.
 */
public final class AnnData {

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private AnnData() {
    }

    /** Whether {@code file} starts with the HDF5 signature (at offset 0, where h5py and anndata put it). */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(HDF5_MAGIC.length), HDF5_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The matrix at {@code key} ({@code X}, {@code obsm/X_pca}, …), cells × features.
     *
     * @throws InputFormatException when the file is not HDF5, has no such key, or the key holds no 2-D numeric
     *                              matrix
     */
    public static DMatrixRMaj read(Path file, String key) {
        FeatureMatrices.Rows rows = readRows(file, key);
        try {
            return rows.toDense();
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * As {@link #read}, a CSR/CSC key kept sparse (the k-NN step, {@link KnnGraph#compute(SparseRows,
     * KnnGraph.Options)}, works on it directly).
     */
    public static FeatureMatrices.Rows readRows(Path file, String key) {
        String k = normalize(key == null ? "X" : key);
        try (HdfFile hdf = open(file)) {
            Node node = find(file, hdf, k);
            if (node instanceof Dataset d) {
                return FeatureMatrices.Rows.of(dense(file, k, d));
            }
            return FeatureMatrices.Rows.of(sparse(file, k, (Group) node));
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot read key '" + k + "': " + e.getMessage(), e);
        }
    }

    /**
     * The labels of the {@code obs} column {@code column} (with or without the {@code obs/} prefix), one per cell.
     *
     * @throws InputFormatException when the file is not HDF5 or has no such column
     */
    public static List<String> labels(Path file, String column) {
        String c = normalize(column);
        if (c.startsWith("obs/")) {
            c = c.substring(4);
        }
        String k = "obs/" + c;
        try (HdfFile hdf = open(file)) {
            Node node = find(file, hdf, k);
            if (node instanceof Group g) {
                Node codes = g.getChild("codes");
                Node categories = g.getChild("categories");
                if (!(codes instanceof Dataset cd) || !(categories instanceof Dataset cats)) {
                    throw new InputFormatException(file, "obs column '" + c + "' is a group without codes and "
                            + "categories; expected a categorical or a string/integer column");
                }
                return categorical(file, k, cd, strings(file, k + "/categories", cats));
            }
            Dataset d = (Dataset) node;
            Node old = child(hdf, "obs/__categories/" + c);
            if (old instanceof Dataset cats) {
                return categorical(file, k, d, strings(file, "obs/__categories/" + c, cats));
            }
            if (d.getJavaType() == String.class) {
                return strings(file, k, d);
            }
            long[] values = integers(file, k, d);
            List<String> out = new ArrayList<>(values.length);
            for (long v : values) {
                out.add(Long.toString(v));
            }
            return out;
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot read obs column '" + c + "': " + e.getMessage(), e);
        }
    }

    private static String normalize(String key) {
        String k = key.trim();
        while (k.startsWith("/")) {
            k = k.substring(1);
        }
        return k;
    }

    private static HdfFile open(Path file) {
        Tables.requireRegularFile(file);
        if (!isHdf5(file)) {
            throw new InputFormatException(file, "is not an HDF5 file (no HDF5 signature); expected an AnnData "
                    + ".h5ad file");
        }
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot read as HDF5: " + e.getMessage(), e);
        }
    }

    /** The node at {@code key}, or null. */
    private static Node child(HdfFile hdf, String key) {
        Node node = hdf;
        for (String part : key.split("/")) {
            if (!(node instanceof Group g)) {
                return null;
            }
            node = g.getChildren().get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static Node find(Path file, HdfFile hdf, String key) {
        Node node = child(hdf, key);
        if (node != null) {
            return node;
        }
        // name what there is, to say what was expected
        int slash = key.lastIndexOf('/');
        Node parent = slash < 0 ? hdf : child(hdf, key.substring(0, slash));
        String has = parent instanceof Group g ? keys(g, slash < 0 ? "" : key.substring(0, slash + 1)) : "";
        throw new InputFormatException(file, "has no key '" + key + "'"
                + (has.isEmpty() ? "" : "; it has " + has));
    }

    private static String keys(Group g, String prefix) {
        TreeSet<String> names = new TreeSet<>();
        for (String n : g.getChildren().keySet()) {
            if (!n.startsWith("__")) {
                names.add(prefix + n);
            }
        }
        return String.join(", ", names);
    }

    private static DMatrixRMaj dense(Path file, String key, Dataset d) {
        int[] dims = d.getDimensions();
        if (dims.length != 2) {
            throw new InputFormatException(file, "key '" + key + "' has shape " + Arrays.toString(dims)
                    + "; expected a 2-D matrix (cells x features)");
        }
        double[] values = doubles(file, key, d.getDataFlat());
        return DMatrixRMaj.wrap(dims[0], dims[1], values);
    }

    private static SparseRows sparse(Path file, String key, Group g) {
        String encoding = stringAttribute(g, "encoding-type");
        if (encoding == null) {
            encoding = stringAttribute(g, "h5sparse_format");
        }
        boolean csr = encoding != null && encoding.startsWith("csr");
        boolean csc = encoding != null && encoding.startsWith("csc");
        Map<String, Node> children = g.getChildren();
        if (!(csr || csc) || !(children.get("data") instanceof Dataset data)
                || !(children.get("indices") instanceof Dataset indices)
                || !(children.get("indptr") instanceof Dataset indptr)) {
            throw new InputFormatException(file, "key '" + key + "' is a group that is not a sparse matrix"
                    + (encoding == null ? "" : " (encoding " + encoding + ")") + "; expected a dense 2-D dataset or "
                    + "a CSR/CSC group with data, indices, indptr and a shape attribute");
        }
        Attribute shapeAttribute = g.getAttribute("shape");
        if (shapeAttribute == null) {
            throw new InputFormatException(file, "sparse key '" + key + "' has no shape attribute");
        }
        long[] shape = toLongs(shapeAttribute.getData());
        if (shape.length != 2 || shape[0] < 0 || shape[1] < 0 || shape[0] > Integer.MAX_VALUE - 8
                || shape[1] > Integer.MAX_VALUE - 8) {
            throw new InputFormatException(file, "sparse key '" + key + "' has shape " + Arrays.toString(shape)
                    + "; expected 2 dimensions of at most 2^31 each");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        double[] v = doubles(file, key + "/data", data.getDataFlat());
        long[] idx = integers(file, key + "/indices", indices);
        long[] ptr = integers(file, key + "/indptr", indptr);
        int major = csr ? rows : cols;
        int minor = csr ? cols : rows;
        if (ptr.length != major + 1 || ptr[0] != 0 || ptr[major] != v.length || idx.length != v.length) {
            throw new InputFormatException(file, "sparse key '" + key + "': indptr has " + ptr.length
                    + " entries ending at " + (ptr.length == 0 ? "?" : ptr[ptr.length - 1]) + " for " + v.length
                    + " values and " + idx.length + " indices; expected " + (major + 1) + " entries from 0 to "
                    + v.length + " for shape " + rows + "x" + cols);
        }
        int[] ri = new int[v.length];
        int[] ci = new int[v.length];
        for (int i = 0; i < major; i++) {
            if (ptr[i + 1] < ptr[i]) {
                throw new InputFormatException(file, "sparse key '" + key + "': indptr decreases at " + i);
            }
            for (long p = ptr[i]; p < ptr[i + 1]; p++) {
                long j = idx[(int) p];
                if (j < 0 || j >= minor) {
                    throw new InputFormatException(file, "sparse key '" + key + "': index " + j + " at " + p
                            + " is outside [0, " + minor + ")");
                }
                ri[(int) p] = csr ? i : (int) j;
                ci[(int) p] = csr ? (int) j : i;
            }
        }
        for (int p = 0; p < v.length; p++) {
            if (!Double.isFinite(v[p])) {
                throw new InputFormatException(file, "sparse key '" + key + "': entry (" + ri[p] + ", " + ci[p]
                        + ") must be finite, got " + v[p]);
            }
        }
        return SparseRows.fromTriplets(rows, cols, ri, ci, v, v.length);
    }

    private static List<String> categorical(Path file, String key, Dataset codes, List<String> categories) {
        long[] c = integers(file, key + " codes", codes);
        List<String> out = new ArrayList<>(c.length);
        for (int i = 0; i < c.length; i++) {
            if (c[i] == -1) {
                out.add("NA");
            } else if (c[i] < 0 || c[i] >= categories.size()) {
                throw new InputFormatException(file, "obs column '" + key + "': code " + c[i] + " of cell " + (i + 1)
                        + " is outside [0, " + categories.size() + ")");
            } else {
                out.add(categories.get((int) c[i]));
            }
        }
        return out;
    }

    private static List<String> strings(Path file, String key, Dataset d) {
        Object data = d.getDataFlat();
        if (data instanceof String[] s) {
            return Arrays.asList(s);
        }
        throw new InputFormatException(file, "'" + key + "' holds " + d.getJavaType().getSimpleName()
                + " values; expected strings");
    }

    private static String stringAttribute(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) {
            return null;
        }
        Object data = a.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] s && s.length == 1) {
            return s[0];
        }
        return null;
    }

    private static long[] integers(Path file, String key, Dataset d) {
        Object data = d.getDataFlat();
        if (data instanceof double[] || data instanceof float[] || !(data.getClass().isArray())
                || data instanceof String[]) {
            throw new InputFormatException(file, "'" + key + "' holds " + d.getJavaType().getSimpleName()
                    + " values; expected integers");
        }
        return toLongs(data);
    }

    private static long[] toLongs(Object data) {
        if (data instanceof long[] a) {
            return a;
        }
        if (data instanceof int[] a) {
            return Arrays.stream(a).asLongStream().toArray();
        }
        if (data instanceof short[] a) {
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        if (data instanceof byte[] a) {
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        if (data instanceof Number n) {
            return new long[] {n.longValue()};
        }
        throw new IllegalArgumentException("expected integers, got " + data.getClass().getSimpleName());
    }

    private static double[] doubles(Path file, String key, Object data) {
        if (data instanceof double[] a) {
            return a;
        }
        if (data instanceof float[] a) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        if (data instanceof long[] || data instanceof int[] || data instanceof short[] || data instanceof byte[]) {
            return Arrays.stream(toLongs(data)).asDoubleStream().toArray();
        }
        throw new InputFormatException(file, "key '" + key + "' holds " + data.getClass().getSimpleName()
                + "; expected numbers");
    }
}
