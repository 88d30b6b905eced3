package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded fuzzing of every reader (issue 17): small valid files mutated at random (truncated, bytes flipped, garbage
 * and numbers inserted, header counts made huge, ranges deleted or repeated). Each read must either succeed with
 * consistent data (a mesh's coordinates finite, a table's shape matching its values) or throw the readers' bad-input
 * exception ({@link InputFormatException}, or a plain {@link IllegalArgumentException} from the mesh checks) — never
 * another exception or error — and must not allocate more than a bounded multiple of the file's size (a header
 * count is never trusted with an allocation).
 */
class ReaderFuzzTest {

    /** Mutations per reader in the default run (a few seconds in all). */
    static final int DEFAULT_MUTATIONS = 2_000;
    /** Mutations per reader in the slow run ({@code -Dslow}). */
    static final int SLOW_MUTATIONS = 20_000;
    /** Allocation allowed per read: this much, plus 64 bytes per byte of the file. */
    static final long ALLOCATION_SLACK = 32L << 20;

    @TempDir
    Path dir;

    /** The readers, each with its seeds (valid files) and how it is called. */
    enum Reader {
        OBJ("obj"), OFF("off"), PLY_ASCII("ply"), PLY_BINARY("ply"), STL_ASCII("stl"), STL_BINARY("stl"), CSV("csv"), TSV("tsv"), NPY("npy");

        final String extension;

        Reader(String extension) {
            this.extension = extension;
        }
    }

    @ParameterizedTest
    @EnumSource(Reader.class)
    void mutatedFilesReadOrFailCleanly(Reader reader) throws IOException {
        fuzz(reader, DEFAULT_MUTATIONS, 17);
    }

    @Tag("slow")
    @ParameterizedTest
    @EnumSource(Reader.class)
    void manyMoreMutations(Reader reader) throws IOException {
        fuzz(reader, SLOW_MUTATIONS, 1_017);
    }

    private void fuzz(Reader reader, int mutations, long seed) throws IOException {
        // writing a file costs ~1 ms on the build machines' disks, ~20 us in memory: use /dev/shm where it exists
        Path shm = Path.of("/dev/shm");
        Path work = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "gwembed-fuzz")
                : dir;
        try {
            fuzz(reader, mutations, seed, work);
        } finally {
            if (!work.equals(dir)) {
                try (var files = Files.list(work)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.delete(p);
                    }
                }
                Files.delete(work);
            }
        }
    }

    private void fuzz(Reader reader, int mutations, long seed, Path dir) throws IOException {
        List<byte[]> seeds = seeds(reader);
        for (byte[] s : seeds) {
            Path f = dir.resolve("seed." + reader.extension);
            Files.write(f, s);
            read(reader, f); // every seed is valid
        }
        SplittableRandom random = new SplittableRandom(seed + reader.ordinal());
        Path file = dir.resolve("fuzz." + reader.extension);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        for (int m = 0; m < mutations && failures.size() < 5; m++) {
            byte[] base = seeds.get(random.nextInt(seeds.size()));
            List<String> log = new ArrayList<>();
            byte[] bytes = base;
            int steps = 1 + random.nextInt(3);
            for (int k = 0; k < steps; k++) {
                bytes = mutate(bytes, random, log);
            }
            Files.write(file, bytes);
            long before = allocatedBytes();
            try {
                read(reader, file);
                accepted++;
            } catch (InputFormatException e) {
                checkMessage(e, failures, m, log, bytes);
            } catch (IllegalArgumentException e) {
                if (e.getClass() != IllegalArgumentException.class) {
                    failures.add(describe(m, log, bytes, e));
                } else {
                    checkMessage(e, failures, m, log, bytes);
                }
            } catch (Throwable e) {
                failures.add(describe(m, log, bytes, e));
            }
            long allocated = allocatedBytes() - before;
            if (allocated > ALLOCATION_SLACK + 64L * bytes.length) {
                failures.add(describe(m, log, bytes, new AssertionError("allocated " + (allocated >> 20)
                        + " MiB for a file of " + bytes.length + " bytes")));
            }
        }
        if (!failures.isEmpty()) {
            fail(reader + ": " + failures.size() + " bad outcomes (first " + failures.size() + "):\n"
                    + String.join("\n", failures));
        }
        assertTrue(accepted > 0 && accepted < mutations, reader + ": " + accepted + " of " + mutations
                + " mutations read; the mutations should be neither all harmless nor all fatal");
    }

    private static void checkMessage(RuntimeException e, List<String> failures, int m, List<String> log,
            byte[] bytes) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank() || msg.contains("Exception")) {
            failures.add(describe(m, log, bytes, e));
        }
    }

    private static String describe(int m, List<String> log, byte[] bytes, Throwable e) {
        String head = new String(bytes, 0, Math.min(bytes.length, 160), StandardCharsets.ISO_8859_1)
                .replace("\n", "\\n").replace("\r", "\\r");
        StackTraceElement[] st = e.getStackTrace();
        return "  mutation " + m + " " + log + ": " + e + (st.length > 0 ? " at " + st[0] : "") + "\n    file starts '"
                + head + "'";
    }

    /** Reads the file and checks what came back. */
    private static void read(Reader reader, Path file) throws IOException {
        switch (reader) {
            case OBJ, OFF, PLY_ASCII, PLY_BINARY, STL_ASCII, STL_BINARY -> {
                TriangleMesh mesh = MeshReaders.read(file);
                assertTrue(mesh.vertexCount() >= 1);
                for (int i = 0; i < mesh.vertexCount(); i++) {
                    for (int c = 0; c < 3; c++) {
                        assertTrue(Double.isFinite(mesh.vertex(i, c)), "vertex " + i + " not finite");
                    }
                }
                for (int t = 0; t < mesh.triangleCount(); t++) {
                    for (int k = 0; k < 3; k++) {
                        int v = mesh.corner(t, k);
                        assertTrue(v >= 0 && v < mesh.vertexCount(), "corner out of range");
                    }
                }
            }
            case CSV, TSV -> {
                Tables.Table t = Tables.readDelimited(file, 1);
                check(t);
            }
            case NPY -> check(Tables.readNpy(file));
            default -> throw new IllegalStateException();
        }
    }

    private static void check(Tables.Table t) {
        DMatrixRMaj v = t.values();
        assertTrue(v.numRows >= 1 && v.numCols >= 1, "empty table read");
        assertTrue(v.data.length >= v.numRows * v.numCols, "values shorter than the shape");
        assertTrue(t.header().isEmpty() || t.header().size() == v.numCols);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    // ---------------------------------------------------------------------------------------------- mutations

    /** Things worth inserting: numbers at the edges, separators, quotes, line ends, PLY/NPY keywords. */
    private static final String[] GARBAGE = {"nan", "-inf", "1e999", "-1", "0", "2147483647", "4294967296",
        "99999999999999999999", "1000000000000", ",", "\t", " ", "\n", "\r\n", "\r", "\"", "'", "#", "/", "//",
        "-", ".", "e", "\u0000", "\u00ff", "\ufeff", "end_header\n", "element vertex 1000000000\n",
        "property list uchar int vertex_indices\n", "format binary_little_endian 1.0\n", "f 1 2 3\n", "v 1 2\n",
        "3 0 1 2\n", "'shape': (1000000, 1000000), ", "'descr': '<f4', ", "'fortran_order': True, ", "OFF\n"};

    private static byte[] mutate(byte[] b, SplittableRandom r, List<String> log) {
        int n = b.length;
        int kind = r.nextInt(8);
        // half of the positions fall in the first 256 bytes, where the headers are
        int at = n == 0 ? 0 : r.nextBoolean() ? r.nextInt(Math.min(n, 256)) : r.nextInt(n);
        switch (kind) {
            case 0 -> {
                log.add("truncate@" + at);
                return Arrays.copyOf(b, at);
            }
            case 1 -> {
                if (n == 0) {
                    return b;
                }
                byte[] c = b.clone();
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int p = r.nextBoolean() ? at : r.nextInt(n);
                    c[p] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (c[p] ^ (1 << r.nextInt(8)));
                }
                log.add("flip" + flips + "@" + at);
                return c;
            }
            case 2 -> {
                String g = GARBAGE[r.nextInt(GARBAGE.length)];
                log.add("insert '" + g.replace("\n", "\\n") + "'@" + at);
                return insert(b, at, g.getBytes(StandardCharsets.ISO_8859_1));
            }
            case 3 -> {
                byte[] g = new byte[1 + r.nextInt(16)];
                for (int k = 0; k < g.length; k++) {
                    g[k] = (byte) r.nextInt(256);
                }
                log.add("random" + g.length + "@" + at);
                return insert(b, at, g);
            }
            case 4 -> {
                return hugeCount(b, r, log);
            }
            case 5 -> {
                int len = Math.min(n - at, 1 + r.nextInt(24));
                log.add("delete" + len + "@" + at);
                byte[] c = new byte[n - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, n - at - len);
                return c;
            }
            case 6 -> {
                int len = Math.min(n - at, 1 + r.nextInt(40));
                log.add("repeat" + len + "@" + at);
                return insert(b, at, Arrays.copyOfRange(b, at, at + len));
            }
            default -> {
                // a whole line dropped or doubled: rows of the wrong count, a missing header line
                int start = at;
                while (start > 0 && b[start - 1] != '\n') {
                    start--;
                }
                int end = at;
                while (end < n && b[end] != '\n') {
                    end++;
                }
                end = Math.min(n, end + 1);
                if (r.nextBoolean()) {
                    log.add("drop line@" + start);
                    byte[] c = new byte[n - (end - start)];
                    System.arraycopy(b, 0, c, 0, start);
                    System.arraycopy(b, end, c, start, n - end);
                    return c;
                }
                log.add("double line@" + start);
                return insert(b, start, Arrays.copyOfRange(b, start, end));
            }
        }
    }

    /** Replaces a run of digits in the first 512 bytes (a header count, a shape) by a huge or odd number. */
    private static byte[] hugeCount(byte[] b, SplittableRandom r, List<String> log) {
        List<int[]> runs = new ArrayList<>();
        int limit = Math.min(b.length, 512);
        for (int i = 0; i < limit; i++) {
            if (b[i] >= '0' && b[i] <= '9' && (i == 0 || b[i - 1] < '0' || b[i - 1] > '9')) {
                int j = i;
                while (j < b.length && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                runs.add(new int[] {i, j});
            }
        }
        if (runs.isEmpty()) {
            return b;
        }
        int[] run = runs.get(r.nextInt(runs.size()));
        String[] values = {"1000000000000", "2147483647", "2147483648", "4294967295", "1000000000", "715827883",
            "100000000", "0", "1", "-1", "9223372036854775807", "18446744073709551616"};
        String v = values[r.nextInt(values.length)];
        log.add("count '" + v + "'@" + run[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, run[0]);
        out.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
        out.write(b, run[1], b.length - run[1]);
        return out.toByteArray();
    }

    private static byte[] insert(byte[] b, int at, byte[] g) {
        byte[] c = new byte[b.length + g.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(g, 0, c, at, g.length);
        System.arraycopy(b, at, c, at + g.length, b.length - at);
        return c;
    }

    // ---------------------------------------------------------------------------------------------- seeds

    /** A 3 × 3 grid of vertices, 8 triangles, with a little relief. */
    static TriangleMesh grid() {
        double[] xyz = new double[27];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                int v = 3 * j + i;
                xyz[3 * v] = i * 0.5;
                xyz[3 * v + 1] = j * 0.5;
                xyz[3 * v + 2] = 0.1 * ((i + j) % 2);
            }
        }
        int[] tri = new int[24];
        int t = 0;
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 2; i++) {
                int a = 3 * j + i;
                int[] two = {a, a + 1, a + 4, a, a + 4, a + 3};
                System.arraycopy(two, 0, tri, t, 6);
                t += 6;
            }
        }
        return TriangleMesh.validated(xyz, tri);
    }

    private List<byte[]> seeds(Reader reader) throws IOException {
        TriangleMesh mesh = grid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> s = new ArrayList<>();
        switch (reader) {
            case OBJ -> {
                MeshWriters.writeObj(mesh, out);
                s.add(out.toByteArray());
                s.add(("# hand-written\nmtllib a.mtl\nv 0 0 0\nv 1 0 0 1\nv 1 1 0 0.5 0.5 0.5\nv 0 1 0\nvt 0 0\n"
                        + "vn 0 0 1\ng quad\nf 1/1/1 2/1/1 3/1/1 4/1/1\nf -4 -3 \\\n -1\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            case OFF -> {
                MeshWriters.writeOff(mesh, out);
                s.add(out.toByteArray());
                s.add(("COFF # colours\n4 2 0\n0 0 0 255 0 0 255\n1 0 0 0 255 0 255\n1 1 0 0 0 255 255\n"
                        + "0 1 0 9 9 9 255\n4 0 1 2 3 1 0 0\n3 0 2 3\n").getBytes(StandardCharsets.US_ASCII));
            }
            case PLY_ASCII -> {
                MeshWriters.writePly(mesh, out, MeshWriters.PlyEncoding.ASCII);
                s.add(out.toByteArray());
                s.add(("ply\nformat ascii 1.0\ncomment x\nelement vertex 4\nproperty float x\nproperty float y\n"
                        + "property float z\nproperty uchar red\nelement face 1\n"
                        + "property list uchar int vertex_indices\nelement edge 1\nproperty int a\nproperty int b\n"
                        + "end_header\n0 0 0 1\n1 0 0 2\n1 1 0 3\n0 1 0 4\n"
                        + "4 0 1 2 3\n0 1\n").getBytes(StandardCharsets.US_ASCII));
            }
            case PLY_BINARY -> {
                MeshWriters.writePly(mesh, out, MeshWriters.PlyEncoding.BINARY_LITTLE_ENDIAN);
                s.add(out.toByteArray());
                s.add(floatPly());
            }
            case STL_ASCII -> {
                s.add(stl(mesh, false));
                s.add(("solid two\n  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n      vertex 1 0 0\n"
                        + "      vertex 1 1 1e-3\n    endloop\n  endfacet\nendsolid two\nSOLID again\nFACET NORMAL 0 0 1\n"
                        + "OUTER LOOP\nVERTEX 0 0 0\nVERTEX 1 1 1e-3\nVERTEX 0 1 -0.0\nENDLOOP\nENDFACET\nENDSOLID\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            case STL_BINARY -> {
                s.add(stl(mesh, true));
                byte[] solidHeader = stl(mesh, true);
                System.arraycopy("solid grid".getBytes(StandardCharsets.US_ASCII), 0, solidHeader, 0, 10);
                s.add(solidHeader);
            }
            case CSV -> {
                s.add("x,y,z\n0.5,1,-2\n1e-3,.5,3\n\"4\",'5',6\n# comment\n\n7,8,9\n".getBytes(StandardCharsets.UTF_8));
                s.add("\ufeff0,1,2\r\n1,0,1\r\n2,1,0\r\n".getBytes(StandardCharsets.UTF_8));
                s.add("1 2 3\n  4   5 6\n7 8 9  \n".getBytes(StandardCharsets.UTF_8));
            }
            case TSV -> {
                s.add("a\tb\n0\t1\n1\t0\n-inf\tnan\n".getBytes(StandardCharsets.UTF_8));
                s.add("0\t1.5\t2\n1.5\t0\t1\n2\t1\t0\n".getBytes(StandardCharsets.UTF_8));
            }
            case NPY -> {
                Path p = dir.resolve("seed-writer.npy");
                Tables.writeNpy(p, new DMatrixRMaj(new double[][] {{0, 1, 2}, {1, 0, 1}, {2, 1, 0}, {3, 4, 5}}));
                s.add(Files.readAllBytes(p));
                Tables.writeNpy(p, new double[] {1, 2, 3});
                s.add(Files.readAllBytes(p));
                s.add(npy("<f4", true, "(2, 3)", floats(1, 2, 3, 4, 5, 6)));
                s.add(npy("|u1", false, "(5,)", new byte[] {1, 2, 3, 4, (byte) 255}));
                s.add(npy("<i4", false, "(2, 2)", ints(-1, 2, 3, 4)));
            }
            default -> throw new IllegalStateException();
        }
        return s;
    }

    /** The mesh as an ascii or binary STL (no STL writer in the library: the readers' fuzz seeds only). */
    static byte[] stl(TriangleMesh mesh, boolean binary) {
        int m = mesh.triangleCount();
        if (binary) {
            ByteBuffer b = ByteBuffer.allocate(84 + 50 * m).order(ByteOrder.LITTLE_ENDIAN);
            b.position(80);
            b.putInt(m);
            for (int t = 0; t < m; t++) {
                b.putFloat(0).putFloat(0).putFloat(1);
                for (int k = 0; k < 3; k++) {
                    for (int c = 0; c < 3; c++) {
                        b.putFloat((float) mesh.vertex(mesh.corner(t, k), c));
                    }
                }
                b.putShort((short) 0);
            }
            return b.array();
        }
        StringBuilder s = new StringBuilder("solid grid\n");
        for (int t = 0; t < m; t++) {
            s.append("  facet normal 0 0 1\n    outer loop\n");
            for (int k = 0; k < 3; k++) {
                int v = mesh.corner(t, k);
                s.append("      vertex ").append(mesh.vertex(v, 0)).append(' ').append(mesh.vertex(v, 1)).append(' ')
                        .append(mesh.vertex(v, 2)).append('\n');
            }
            s.append("    endloop\n  endfacet\n");
        }
        return s.append("endsolid grid\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] floatPly() {
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
                + "property float z\nelement face 2\nproperty list uchar uint vertex_indices\nproperty short flags\n"
                + "end_header\n";
        ByteBuffer b = ByteBuffer.allocate(header.length() + 48 + 2 * (1 + 12 + 2)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        float[] v = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
        for (float f : v) {
            b.putFloat(f);
        }
        b.put((byte) 3).putInt(0).putInt(1).putInt(2).putShort((short) 7);
        b.put((byte) 3).putInt(0).putInt(2).putInt(3).putShort((short) -7);
        return b.array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int f : v) {
            b.putInt(f);
        }
        return b.array();
    }

    private static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }
}
