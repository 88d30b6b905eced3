package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesTest {

    @TempDir
    Path dir;

    private Path text(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** A hand-made .npy file: magic, version, header length, the header dict padded to 64 bytes, then data. */
    private Path npy(String name, int major, String dict, byte[] data) throws IOException {
        int pre = major == 1 ? 10 : 12;
        int unpadded = pre + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(pre + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static byte[] bytes(int size, ByteOrder order, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        fill.accept(b);
        return b.array();
    }

    @Test
    void csvWithHeaderCommentsBlankLinesAndCrlf() throws IOException {
        Path p = text("a.csv", "\uFEFF# a comment\r\n\r\nx,\"y\",z\r\n1,2.5,-3e2\r\n  # another\r\n4, .5 ,6\r\n");
        Tables.Table t = Tables.read(p);
        assertEquals(List.of("x", "y", "z"), t.header());
        assertEquals(2, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(new double[] {1, 2.5, -300, 4, 0.5, 6}, t.values().data);
        assertEquals(p, t.source());
    }

    @Test
    void csvWithoutHeader() throws IOException {
        Tables.Table t = Tables.read(text("b.csv", "1,2\n3,4"));
        assertTrue(t.header().isEmpty());
        assertArrayEquals(new double[] {1, 2, 3, 4}, t.values().data);
    }

    @Test
    void tabAndWhitespaceDelimitersAndSpecialValues() throws IOException {
        Tables.Table tab = Tables.read(text("c.tsv", "a\tb\n1\t2\n3\t-inf\n"));
        assertEquals(List.of("a", "b"), tab.header());
        assertEquals(Double.NEGATIVE_INFINITY, tab.values().get(1, 1));
        Tables.Table ws = Tables.read(text("d.txt", "  1   2 3\n4\t5  6  \n7 NaN Infinity\n"));
        assertEquals(3, ws.rows());
        assertEquals(3, ws.columns());
        assertEquals(6.0, ws.values().get(1, 2));
        assertTrue(Double.isNaN(ws.values().get(2, 1)));
        assertEquals(Double.POSITIVE_INFINITY, ws.values().get(2, 2));
    }

    @Test
    void raggedRowNamesFileLineAndCounts() throws IOException {
        Path p = text("ragged.csv", "h1,h2,h3\n1,2,3\n\n4,5\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> Tables.read(p));
        assertTrue(e.getMessage().contains("ragged.csv:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("2 fields, expected 3"), e.getMessage());
        assertEquals(4L, e.line());
    }

    @Test
    void nonNumericFieldAndEmptyFileAreRejected() throws IOException {
        InputFormatException bad = assertThrows(InputFormatException.class,
                () -> Tables.read(text("bad.csv", "1,2\n3,x4\n")));
        assertTrue(bad.getMessage().contains("bad.csv:2: column 2: 'x4' is not a number"), bad.getMessage());
        InputFormatException hex = assertThrows(InputFormatException.class,
                () -> Tables.read(text("hex.csv", "1,2\n0x10,1d\n")));
        assertTrue(hex.getMessage().contains(":2: column 1"), hex.getMessage());
        InputFormatException empty = assertThrows(InputFormatException.class,
                () -> Tables.read(text("empty.csv", "# nothing\n\n")));
        assertTrue(empty.getMessage().contains("no data rows"), empty.getMessage());
        InputFormatException gap = assertThrows(InputFormatException.class,
                () -> Tables.read(text("gap.csv", "1,,3\n")));
        assertTrue(gap.getMessage().contains("gap.csv:1: column 2 is empty"), gap.getMessage());
        assertThrows(InputFormatException.class, () -> Tables.read(text("x.json", "[1]")));
        InputFormatException missing = assertThrows(InputFormatException.class,
                () -> Tables.read(dir.resolve("missing.csv")));
        assertTrue(missing.getMessage().contains("missing.csv: no such file"), missing.getMessage());
    }

    @Test
    void csvRoundTripIsExact() {
        Random rnd = new Random(7);
        DMatrixRMaj m = new DMatrixRMaj(13, 4);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = Math.scalb(rnd.nextGaussian(), rnd.nextInt(200) - 100);
        }
        m.data[0] = Double.MIN_VALUE;
        m.data[1] = -0.1;
        m.data[2] = 1.0 / 3.0;
        Path p = dir.resolve("rt.csv");
        Tables.writeCsv(p, m, List.of("a", "b", "c", "d"));
        Tables.Table t = Tables.read(p);
        assertEquals(List.of("a", "b", "c", "d"), t.header());
        assertArrayEquals(m.data, t.values().data, 0.0);
        Tables.writeCsv(p, m, List.of());
        assertArrayEquals(m.data, Tables.read(p).values().data, 0.0);
        assertThrows(IllegalArgumentException.class, () -> Tables.writeCsv(p, m, List.of("1", "2", "3", "4")));
        assertThrows(IllegalArgumentException.class, () -> Tables.writeCsv(p, m, List.of("a,b", "c", "d", "e")));
        assertThrows(IllegalArgumentException.class, () -> Tables.writeCsv(p, m, List.of("a")));
    }

    @Test
    void npyRoundTrip() throws IOException {
        Random rnd = new Random(11);
        DMatrixRMaj m = new DMatrixRMaj(7, 3);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = rnd.nextGaussian();
        }
        Path p = dir.resolve("rt.npy");
        Tables.writeNpy(p, m);
        byte[] raw = Files.readAllBytes(p);
        int headerLength = (raw[8] & 0xff) | (raw[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data must start 64-byte aligned");
        Tables.Table t = Tables.read(p);
        assertEquals(7, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(m.data, t.values().data, 0.0);

        Path v = dir.resolve("v.npy");
        Tables.writeNpy(v, new double[] {1.5, -2, 3});
        Tables.Table tv = Tables.read(v);
        assertEquals(3, tv.rows());
        assertEquals(1, tv.columns());
        assertArrayEquals(new double[] {1.5, -2, 3}, Tables.readVector(v), 0.0);
    }

    @Test
    void npyFloat32AndIntegerDtypes() throws IOException {
        Path f4 = npy("f4.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                bytes(16, ByteOrder.LITTLE_ENDIAN, b -> b.putFloat(1.5f).putFloat(-0.1f).putFloat(3f).putFloat(4f)));
        assertArrayEquals(new double[] {1.5, (double) -0.1f, 3, 4}, Tables.read(f4).values().data, 0.0);

        Path i8 = npy("i8.npy", 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                bytes(24, ByteOrder.LITTLE_ENDIAN, b -> b.putLong(-5).putLong(1L << 40).putLong(7)));
        assertArrayEquals(new double[] {-5, 0x1p40, 7}, Tables.read(i8).values().data, 0.0);

        Path u1 = npy("u1.npy", 2, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 3), }",
                new byte[] {(byte) 255, 0, 7});
        assertArrayEquals(new double[] {255, 0, 7}, Tables.read(u1).values().data, 0.0);

        Path u8 = npy("u8.npy", 3, "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }",
                bytes(8, ByteOrder.LITTLE_ENDIAN, b -> b.putLong(-1L)));
        assertEquals(0x1p64, Tables.read(u8).values().data[0], 0.0);

        Path i2 = npy("i2.npy", 1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }",
                bytes(4, ByteOrder.LITTLE_ENDIAN, b -> b.putShort((short) -300).putShort((short) 300)));
        assertArrayEquals(new double[] {-300, 300}, Tables.read(i2).values().data, 0.0);

        Path b1 = npy("b1.npy", 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {1, 0, 1});
        assertArrayEquals(new double[] {1, 0, 1}, Tables.read(b1).values().data, 0.0);
    }

    @Test
    void npyDataMappedInSmallSegmentsReadsTheSame() throws IOException {
        Random rng = new Random(3);
        DMatrixRMaj m = new DMatrixRMaj(37, 11);
        for (int t = 0; t < m.data.length; t++) {
            m.data[t] = rng.nextGaussian();
        }
        Path p = dir.resolve("seg.npy");
        Tables.writeNpy(p, m);
        for (long segment : new long[] {8, 24, 1000, 1 << 20}) {
            assertArrayEquals(m.data, Tables.readNpy(p, segment).values().data, 0.0, "segments of " + segment);
        }
        Path f4 = npy("f4seg.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }",
                bytes(20, ByteOrder.LITTLE_ENDIAN, b -> b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5)));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, Tables.readNpy(f4, 8).values().data, 0.0);
    }

    @Test
    void npyFortranOrderIsTransposedIntoRowMajor() throws IOException {
        // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] in column-major order: 1 4 2 5 3 6.
        Path p = npy("f.npy", 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                bytes(48, ByteOrder.LITTLE_ENDIAN, b -> {
                    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
                        b.putDouble(v);
                    }
                }));
        Tables.Table t = Tables.read(p);
        assertEquals(2, t.rows());
        assertEquals(3, t.columns());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.values().data, 0.0);
    }

    @Test
    void npyProblemsAreRefusedWithTheFileName() throws IOException {
        Path big = npy("big.npy", 1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
                bytes(8, ByteOrder.BIG_ENDIAN, b -> b.putDouble(1)));
        InputFormatException e1 = assertThrows(InputFormatException.class, () -> Tables.read(big));
        assertTrue(e1.getMessage().contains("big.npy") && e1.getMessage().contains("big-endian"), e1.getMessage());

        Path cut = npy("cut.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", new byte[24]);
        InputFormatException e2 = assertThrows(InputFormatException.class, () -> Tables.read(cut));
        assertTrue(e2.getMessage().contains("cut.npy") && e2.getMessage().contains("truncated"), e2.getMessage());

        Path cutHeader = dir.resolve("cuthead.npy");
        Files.write(cutHeader, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'});
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(cutHeader)).getMessage()
                .contains("truncated .npy header"));

        Path threeD = npy("3d.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }",
                new byte[8]);
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(threeD)).getMessage()
                .contains("3 dimensions"));

        Path complex = npy("c.npy", 1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]);
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(complex)).getMessage()
                .contains("unsupported dtype '<c16'"));

        Path notNpy = text("text.npy", "1,2,3\n");
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(notNpy)).getMessage()
                .contains("not a NumPy .npy file"));

        Path version = npy("v9.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        byte[] raw = Files.readAllBytes(version);
        raw[6] = 9;
        Files.write(version, raw);
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.read(version)).getMessage()
                .contains("version 9.0"));
    }

    @Test
    void readVectorRefusesMatrices() throws IOException {
        assertArrayEquals(new double[] {0.25, 0.75}, Tables.readVector(text("w.txt", "0.25\n0.75")), 0.0);
        assertArrayEquals(new double[] {1, 2, 3}, Tables.readVector(text("row.csv", "1,2,3\n")), 0.0);
        Path m = text("m.csv", "1,2\n3,4\n");
        assertTrue(assertThrows(InputFormatException.class, () -> Tables.readVector(m)).getMessage()
                .contains("2x2"));
    }
}
