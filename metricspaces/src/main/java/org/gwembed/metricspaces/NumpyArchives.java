package org.gwembed.metricspaces;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.ejml.data.DMatrixRMaj;

/**
 * NumPy {@code .npz} archives (a zip of {@code .npy} entries, stored or deflated), read with {@code java.util.zip}
 * and {@link Tables}' {@code .npy} reader:
 * <ul>
 * <li>{@code numpy.savez} / {@code savez_compressed} with <em>one</em> array (any name: {@code arr_0}, {@code x},
 *     ...) — a distance matrix or a feature table; an archive of several arrays is refused with their names
 *     unless a key picks one ({@link #readRows(Path, String)});</li>
 * <li>{@code scipy.sparse.save_npz} of a CSR or CSC matrix (entries {@code format}, {@code shape}, {@code data},
 *     {@code indices}, {@code indptr}): kept sparse by {@link #readRows}, densified by {@link #readTable}. The
 *     {@code format} entry is a NumPy byte string ({@code |S3}); it is read from the entry's raw bytes.</li>
 * </ul>
 */
public final class NumpyArchives {

    /** Largest entry read (a Java array holds at most 2 GiB). */
    private static final long MAX_ENTRY = Integer.MAX_VALUE - 8;

    private NumpyArchives() {
    }

    /** The archive's matrix as a dense table (a sparse matrix densified). */
    public static Tables.Table readTable(Path file) {
        FeatureMatrices.Rows rows = readRows(file, null);
        try {
            return new Tables.Table(rows.toDense(), List.of(), file);
        } catch (IllegalArgumentException e) {
            throw new InputFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * The archive's matrix: sparse for a scipy.sparse archive, dense otherwise.
     *
     * @param key the array to read from a {@code savez} archive of several ({@code null}: the only one)
     * @throws InputFormatException if the file is not a zip of {@code .npy} entries, an entry is malformed, or the
     *                              archive holds several arrays and no key (the message lists them)
     */
    public static FeatureMatrices.Rows readRows(Path file, String key) {
        Tables.requireRegularFile(file);
        Map<String, byte[]> entries = entries(file);
        if (entries.keySet().containsAll(List.of("format", "shape", "data"))) {
            if (key != null) {
                throw new InputFormatException(file, "is a scipy.sparse archive, which has no keys; a key ('" + key
                        + "') picks one array of a numpy.savez archive");
            }
            return FeatureMatrices.Rows.of(sparse(file, entries));
        }
        if (entries.isEmpty()) {
            throw new InputFormatException(file, "holds no .npy arrays");
        }
        String name;
        if (key != null) {
            if (!entries.containsKey(key)) {
                throw new InputFormatException(file, "has no array '" + key + "'; it holds " + entries.keySet());
            }
            name = key;
        } else if (entries.size() == 1) {
            name = entries.keySet().iterator().next();
        } else {
            throw new InputFormatException(file, "holds " + entries.size() + " arrays " + entries.keySet()
                    + "; expected one (numpy.savez(f, x)) or a scipy.sparse.save_npz matrix");
        }
        return FeatureMatrices.Rows.of(Tables.readNpy(entryName(file, name), entries.get(name)).values());
    }

    private static Path entryName(Path file, String name) {
        return file.resolveSibling(file.getFileName() + ":" + name + ".npy");
    }

    /** The archive's {@code .npy} entries by name without the extension, in archive order. */
    private static Map<String, byte[]> entries(Path file) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                if (e.getSize() > MAX_ENTRY) {
                    throw new InputFormatException(file, "entry " + e.getName() + " has " + e.getSize()
                            + " bytes, more than one Java array holds");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] bytes = in.readNBytes((int) Math.min(MAX_ENTRY, e.getSize() < 0 ? MAX_ENTRY : e.getSize()));
                    if (e.getSize() >= 0 && bytes.length != e.getSize()) {
                        throw new InputFormatException(file, "entry " + e.getName() + " is truncated: " + bytes.length
                                + " of " + e.getSize() + " bytes");
                    }
                    out.put(e.getName().substring(0, e.getName().length() - 4), bytes);
                }
            }
        } catch (InputFormatException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new InputFormatException(file, "cannot read: permission denied", e);
        } catch (ZipException e) {
            throw new InputFormatException(file, "is not a .npz archive (not a readable zip file: " + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    private static SparseRows sparse(Path file, Map<String, byte[]> e) {
        String format = byteString(e.get("format"));
        boolean csr = format.equals("csr");
        if (!csr && !format.equals("csc")) {
            throw new InputFormatException(file, "scipy.sparse format '" + format + "' is not supported; expected csr "
                    + "or csc (convert with .tocsr())");
        }
        if (!e.containsKey("indices") || !e.containsKey("indptr")) {
            throw new InputFormatException(file, "scipy.sparse " + format + " archive without indices/indptr");
        }
        double[] shape = vector(file, "shape", e);
        if (shape.length != 2 || shape[0] < 0 || shape[1] < 0 || shape[0] > MAX_ENTRY || shape[1] > MAX_ENTRY
                || shape[0] != Math.rint(shape[0]) || shape[1] != Math.rint(shape[1])) {
            throw new InputFormatException(file, "shape " + java.util.Arrays.toString(shape) + " is not 2 sizes");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        double[] data = vector(file, "data", e);
        double[] indices = vector(file, "indices", e);
        double[] indptr = vector(file, "indptr", e);
        int major = csr ? rows : cols;
        int minor = csr ? cols : rows;
        if (indptr.length != major + 1 || indptr[0] != 0 || indptr[major] != data.length
                || indices.length != data.length) {
            throw new InputFormatException(file, "indptr has " + indptr.length + " entries ending at "
                    + indptr[indptr.length - 1] + " for " + data.length + " values and " + indices.length
                    + " indices; expected " + (major + 1) + " entries from 0 to " + data.length + " for shape "
                    + rows + "x" + cols);
        }
        int[] r = new int[data.length];
        int[] c = new int[data.length];
        for (int i = 0; i < major; i++) {
            if (indptr[i + 1] < indptr[i]) {
                throw new InputFormatException(file, "indptr decreases at " + i);
            }
            for (int p = (int) indptr[i]; p < (int) indptr[i + 1]; p++) {
                double j = indices[p];
                if (!(j >= 0 && j < minor) || j != Math.rint(j)) {
                    throw new InputFormatException(file, "index " + j + " at " + p + " is outside [0, " + minor + ")");
                }
                if (!Double.isFinite(data[p])) {
                    throw new InputFormatException(file, "value " + data[p] + " at " + p + " is not finite");
                }
                r[p] = csr ? i : (int) j;
                c[p] = csr ? (int) j : i;
            }
        }
        return SparseRows.fromTriplets(rows, cols, r, c, data, data.length);
    }

    private static double[] vector(Path file, String name, Map<String, byte[]> e) {
        return Tables.readNpy(entryName(file, name), e.get(name)).values().data;
    }

    /**
     * The text of a 0-d NumPy byte-string array ({@code np.array('csr')} saved as {@code |S3} or {@code <U3}): the
     * bytes after the header, NULs and the padding dropped.
     */
    private static String byteString(byte[] npy) {
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        int start = 10 + headerLength;
        if ((npy[6] & 0xff) >= 2) {
            headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8 | (npy[10] & 0xff) << 16 | (npy[11] & 0xff) << 24;
            start = 12 + headerLength;
        }
        List<Character> chars = new ArrayList<>();
        for (int i = start; i < npy.length; i++) {
            if (npy[i] != 0) {
                chars.add((char) npy[i]);
            }
        }
        StringBuilder sb = new StringBuilder();
        chars.forEach(sb::append);
        return sb.toString().strip();
    }
}
