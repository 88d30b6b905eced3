package org.gwembed.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.AtomicFiles;

/**
 * NumPy's {@code .npz} bundle: a zip archive of {@code .npy} members, as {@code numpy.savez_compressed} writes it
 * (DEFLATED entries named {@code zeta1.npy} and so on; {@code numpy.load(path)["zeta1"]} reads one). The archive is
 * written through {@link AtomicFiles}, so it appears complete or not at all. The single {@code .npy} files are
 * written by {@code Tables.writeNpy}, with the same format (1.0, {@code <f8}, C order, header padded to 64 bytes).
 */
final class NumpyFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NumpyFiles() {
    }

    /** A matrix as the bytes of an {@code .npy} file of shape {@code (rows, cols)}. */
    static byte[] npy(DMatrixRMaj m) {
        return npy(m.data, m.numRows * m.numCols, "(" + m.numRows + ", " + m.numCols + ")");
    }

    /** A vector as the bytes of an {@code .npy} file of shape {@code (n,)}. */
    static byte[] npy(double[] v) {
        return npy(v, v.length, "(" + v.length + ",)");
    }

    private static byte[] npy(double[] data, int count, String shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < count; i++) {
            b.putDouble(data[i]);
        }
        return b.array();
    }

    /**
     * Writes {@code members} (entry name, e.g. {@code zeta1.npy}, to the bytes of an {@code .npy} file) as one
     * {@code .npz} archive, in the map's order.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    static void writeNpz(Path file, Map<String, byte[]> members) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                zip.setMethod(ZipOutputStream.DEFLATED);
                for (Map.Entry<String, byte[]> e : members.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
                zip.finish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
