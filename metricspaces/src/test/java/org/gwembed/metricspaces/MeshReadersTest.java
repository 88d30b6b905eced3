package org.gwembed.metricspaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshReadersTest {

    private static final double EXACT = 0.0;

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(MeshReadersTest.class.getResource("/meshes/" + name).toURI());
    }

    private Path text(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    /** A mesh with non-trivial coordinates (irrational, negative, tiny) and a hole, so round-trips are telling. */
    private static TriangleMesh sample() {
        return MeshGenerators.swissRoll(150, MeshGenerators.Hole.centre()).mesh();
    }

    /** Asserts that reading fails and the message names the file and the given location. */
    private static InputFormatException assertMalformed(Path file, String location, String problem) {
        InputFormatException e = assertThrows(InputFormatException.class, () -> MeshReaders.read(file));
        String expectedStart = file.getFileName() + location;
        assertTrue(e.getMessage().startsWith(expectedStart), "'" + e.getMessage() + "' should start with '"
                + expectedStart + "'");
        assertTrue(e.getMessage().contains(problem), "'" + e.getMessage() + "' should mention '" + problem + "'");
        return e;
    }

    // ------------------------------------------------------------------------------------------------ round trips

    @Test
    void everyFormatRoundTripsExactly() throws IOException {
        TriangleMesh mesh = sample();
        for (String name : new String[] {"a.obj", "b.off", "c.ply", "D.OBJ", "e.Ply"}) {
            Path file = dir.resolve(name);
            MeshWriters.write(mesh, file);
            assertEquals(mesh, MeshReaders.read(file), name);
        }
        Path binary = dir.resolve("f.ply");
        MeshWriters.writePly(mesh, binary, MeshWriters.PlyEncoding.BINARY_LITTLE_ENDIAN);
        assertTrue(Files.readString(binary, StandardCharsets.ISO_8859_1).contains("binary_little_endian"));
        assertEquals(mesh, MeshReaders.read(binary));
    }

    @Test
    void unknownExtensionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeshReaders.read(dir.resolve("mesh.3ds")));
        assertTrue(e.getMessage().contains(".obj, .off, .ply or .stl"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ STL

    @Test
    void stlAsciiAndBinaryTetrahedraMergeTheRepeatedVertices() throws Exception {
        TriangleMesh ascii = MeshReaders.read(resource("tetrahedron.stl"));
        // the binary file's header starts with "solid": its exact size still makes it binary
        TriangleMesh binary = MeshReaders.read(resource("tetrahedron_binary.stl"));
        assertEquals(4, ascii.vertexCount());
        assertEquals(4, ascii.triangleCount());
        assertEquals(ascii, binary);
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 2, 3}, {0, 3, 1}, {2, 1, 3}}, ascii.triangles());
        assertEquals(1.5 + Math.sqrt(3) / 2, ascii.surfaceArea(), 1e-12);
    }

    @Test
    void stlCubeHasTheGeodesicsOfTheObjCube() throws Exception {
        TriangleMesh obj = MeshReaders.read(resource("cube_quads.obj"));
        TriangleMesh stl = MeshReaders.read(resource("cube.stl"));
        assertEquals(8, stl.vertexCount());
        assertEquals(12, stl.triangleCount());
        // STL numbers the vertices in the order they first appear: match them by coordinates
        int[] toObj = new int[8];
        for (int i = 0; i < 8; i++) {
            toObj[i] = -1;
            for (int j = 0; j < 8; j++) {
                if (stl.vertex(i, 0) == obj.vertex(j, 0) && stl.vertex(i, 1) == obj.vertex(j, 1)
                        && stl.vertex(i, 2) == obj.vertex(j, 2)) {
                    toObj[i] = j;
                }
            }
            assertTrue(toObj[i] >= 0, "vertex " + i + " of the STL cube is not an OBJ cube vertex");
        }
        DenseMetricSpace gObj = MeshGeodesics.geodesics(obj);
        DenseMetricSpace gStl = MeshGeodesics.geodesics(stl);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(gObj.distance(toObj[i], toObj[j]), gStl.distance(i, j), 1e-12, i + "," + j);
            }
        }
    }

    @Test
    void stlMergesByExactEqualityOnly() throws IOException {
        // -0.0 equals 0.0; 1e-300 does not
        Path f = text("z.stl", "solid z\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\n"
                + "endloop\nendfacet\nfacet normal 0 0 1\nouter loop\nvertex -0.0 0 0\nvertex 1e-300 1 0\n"
                + "vertex 0 1 0\nendloop\nendfacet\nendsolid z\n");
        TriangleMesh m = MeshReaders.read(f);
        assertEquals(4, m.vertexCount());
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 3, 2}}, m.triangles());
    }

    @Test
    void stlDegenerateFacetsAreSkipped() throws IOException {
        Path f = text("d.stl", "solid d\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\n"
                + "endloop\nendfacet\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 0 0 0\nvertex 1 0 0\n"
                + "endloop\nendfacet\nendsolid d\n");
        assertEquals(1, MeshReaders.read(f).triangleCount());
    }

    @Test
    void stlMalformedInputNamesFileAndPlace() throws IOException {
        String facet = "facet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\n";
        assertMalformed(text("nan.stl", "solid a\nfacet normal 0 0 1\nouter loop\nvertex 0 nan 0\n"), ":4:",
                "finite");
        assertMalformed(text("two.stl", "solid a\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
                + "endloop\n"), ":6:", "2 vertices, expected 3");
        assertMalformed(text("open.stl", "solid a\n" + facet), ":8:", "endsolid");
        assertMalformed(text("kw.stl", "solid a\n" + facet + "facet normal 0 0 1\nvertex 0 0 0\n"), ":10:",
                "in a facet, before 'outer loop'");
        assertMalformed(text("empty.stl", "solid a\nendsolid a\n"), ":2:", "no facets");
        assertMalformed(text("short.stl", "hello"), ": byte offset 0:", "too short");
    }

    @Test
    void stlBinaryCountIsCheckedAgainstTheSizeBeforeAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(84 + 50).order(ByteOrder.LITTLE_ENDIAN);
        b.position(80);
        b.putInt(1_000_000_000);
        Path f = dir.resolve("huge.stl");
        Files.write(f, b.array());
        InputFormatException e = assertMalformed(f, ": byte offset 80:", "1000000000 triangles");
        assertTrue(e.getMessage().contains("134 bytes"), e.getMessage());
        // a truncated file: count 2, one triangle's bytes
        b.putInt(80, 2);
        Files.write(f, b.array());
        assertMalformed(f, ": byte offset 80:", "2 triangles");
    }

    @Test
    void stlBinaryNonFiniteCoordinateIsRefused() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(84 + 50).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(80, 1);
        b.putFloat(84 + 12, 0f).putFloat(84 + 16, Float.NaN);
        Path f = dir.resolve("nan-binary.stl");
        Files.write(f, b.array());
        assertMalformed(f, ": triangle 0, byte offset 100:", "finite");
    }

    // ------------------------------------------------------------------------------------------------ OBJ

    @Test
    void objCubeWithTexturesNormalsQuadsAndNegativeIndices() throws Exception {
        TriangleMesh cube = MeshReaders.read(resource("cube_quads.obj"));
        assertEquals(8, cube.vertexCount());
        int[][] expected = {
            {0, 3, 2}, {0, 2, 1}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
            {1, 2, 6}, {1, 6, 5}, {3, 7, 6}, {3, 6, 2}, {0, 4, 7}, {0, 7, 3}};
        assertArrayEquals(expected, cube.triangles());
        assertEquals(6.0, cube.surfaceArea(), 1e-15);
        assertEquals(1.0, cube.vertex(6, 2), EXACT);
    }

    @Test
    void objPolygonWithARepeatedCornerKeepsItsProperTriangles() throws IOException {
        Path f = text("quad.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nf 1 2 3 3\n");
        assertArrayEquals(new int[][] {{0, 1, 2}}, MeshReaders.read(f).triangles());
    }

    @Test
    void objMalformedInputNamesFileAndLine() throws IOException {
        assertMalformed(text("num.obj", "v 0 0 0\nv 1 0 0\n# c\nv 0 x1 0\nf 1 2 3\n"), ":4:", "'x1'");
        assertMalformed(text("range.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\n\nf 1 2 4\n"), ":5:", "outside [1, 3]");
        assertMalformed(text("neg.obj", "v 0 0 0\nv 1 0 0\nf -1 -2 -3\nv 0 1 0\n"), ":3:", "-3");
        assertMalformed(text("zero.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n"), ":4:", "index 0");
        assertMalformed(text("short.obj", "v 0 0\n"), ":1:", "3 coordinates");
        assertMalformed(text("degenerate.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 2\n"), ":4:", "distinct");
        assertMalformed(text("empty.obj", "# nothing\n"), ":1:", "no vertices");
    }

    // ------------------------------------------------------------------------------------------------ OFF

    @Test
    void offWithColoursCommentsAndBlankLines() throws Exception {
        TriangleMesh tet = MeshReaders.read(resource("tetrahedron_colored.off"));
        assertEquals(4, tet.vertexCount());
        assertArrayEquals(new int[][] {{0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}}, tet.triangles());
        assertEquals(1.0, tet.vertex(3, 2), EXACT);
    }

    @Test
    void offCountsOnTheHeaderLineAndPolygons() throws IOException {
        Path f = text("square.off", "OFF 4 1\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n");
        TriangleMesh sq = MeshReaders.read(f);
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 2, 3}}, sq.triangles());
        assertEquals(1.0, sq.surfaceArea(), 1e-15);
        assertEquals(4, MeshReaders.read(text("n.off", "NOFF\n3 1 0\n0 0 0 0 0 1\n1 0 0 0 0 1\n0 1 0 0 0 1\n3 0 1 2\n"))
                .vertexCount() + 1);
    }

    @Test
    void offMalformedInputNamesFileAndLine() throws IOException {
        assertMalformed(text("noheader.off", "3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n"), ":1:", "missing the OFF header");
        assertMalformed(text("num.off", "OFF\n3 1 0\n0 0 0\n1 0 zero\n0 1 0\n3 0 1 2\n"), ":4:", "'zero'");
        assertMalformed(text("range.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n"), ":6:", "outside [0, 3)");
        assertMalformed(text("trunc.off", "OFF\n# c\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n"), ":7:",
                "expected 2 faces, found 1");
        assertMalformed(text("truncv.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n"), ":4:", "expected 3 vertices, found 2");
        assertMalformed(text("count.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n"), ":6:", "announces 4");
        assertMalformed(text("four.off", "4OFF\n3 1 0\n"), ":1:", "not supported");
        assertMalformed(text("bin.off", "OFF BINARY\n"), ":1:", "binary OFF");
    }

    // ------------------------------------------------------------------------------------------------ PLY

    @Test
    void plyAsciiWithExtraPropertiesOtherElementsAndVertexIndex() throws IOException {
        String ply = String.join("\n",
                "ply",
                "format ascii 1.0",
                "comment made by hand",
                "element vertex 4",
                "property uchar red",
                "property float x",
                "property float y",
                "property float z",
                "property list uchar float extra",
                "element face 2",
                "property uchar flags",
                "property list ushort uint vertex_index",
                "element edge 1",
                "property int vertex1",
                "property int vertex2",
                "end_header",
                "9 0 0 0 2 0.5 0.5",
                "9 1 0 0 0",
                "9 1 1 0 1 7",
                "9 0 1 0.5 0",
                "0 3 0 1 2",
                "1 3 0 2 3",
                "0 1",
                "");
        TriangleMesh m = MeshReaders.read(text("hand.ply", ply));
        assertEquals(4, m.vertexCount());
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 2, 3}}, m.triangles());
        assertEquals(0.5, m.vertex(3, 2), EXACT);
    }

    /** A binary little-endian PLY with mixed types: int/double/float coordinates, a skipped property, quads. */
    @Test
    void plyBinaryLittleEndianWithMixedTypes() throws IOException {
        String header = "ply\nformat binary_little_endian 1.0\nelement vertex 4\nproperty int x\n"
                + "property double y\nproperty float z\nproperty ushort quality\nelement face 1\n"
                + "property list uint short vertex_indices\nproperty float weight\nend_header\n";
        ByteBuffer b = ByteBuffer.allocate(4 * (4 + 8 + 4 + 2) + (4 + 4 * 2 + 4)).order(ByteOrder.LITTLE_ENDIAN);
        double[][] v = {{0, 0, 0}, {2, 0, 0.25}, {2, 1.5, 0}, {0, 1.5, 0.25}};
        for (double[] p : v) {
            b.putInt((int) p[0]).putDouble(p[1]).putFloat((float) p[2]).putShort((short) 65535);
        }
        b.putInt(4).putShort((short) 0).putShort((short) 1).putShort((short) 2).putShort((short) 3).putFloat(1f);
        Path f = dir.resolve("mixed.ply");
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.capacity()];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b.array(), 0, all, h.length, b.capacity());
        Files.write(f, all);
        TriangleMesh m = MeshReaders.read(f);
        assertArrayEquals(new double[] {0, 0, 0, 2, 0, 0.25, 2, 1.5, 0, 0, 1.5, 0.25}, m.vertices().data, EXACT);
        assertArrayEquals(new int[][] {{0, 1, 2}, {0, 2, 3}}, m.triangles());

        // its ushort quality is the per-vertex label
        MeshReaders.LabelledPly lp = MeshReaders.readLabelledPly(f);
        assertEquals("quality", lp.labelProperty());
        assertArrayEquals(new double[] {65535, 65535, 65535, 65535}, lp.labels(), EXACT);

        // Cut the data short inside the face: the error names the element, item and byte offset.
        Path cut = dir.resolve("cut.ply");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 6));
        InputFormatException e = assertMalformed(cut, ": element face, item 0, byte offset ", "unexpected end");
        assertEquals(-1, e.line());
    }

    /**
     * Open3D's {@code write_point_cloud} and PCL's {@code savePLYFile} write a vertex element only, often with
     * normals, colours and a per-point {@code label} or {@code quality}: a mesh without triangles whose labels are
     * read ({@code label} before {@code quality}); a non-finite label is refused with its place.
     */
    @Test
    void plyPointCloudWithoutFacesAndItsLabels() throws IOException {
        String ply = String.join("\n",
                "ply",
                "format ascii 1.0",
                "comment Created by Open3D",
                "element vertex 3",
                "property double x",
                "property double y",
                "property double z",
                "property double nx",
                "property double ny",
                "property double nz",
                "property float quality",
                "property int label",
                "property uchar red",
                "end_header",
                "0 0 0 0 0 1 0.5 2 255",
                "1 0 0 0 0 1 0.25 2 255",
                "0 1 0 0 0 1 0.125 7 255",
                "");
        MeshReaders.LabelledPly lp = MeshReaders.readLabelledPly(text("cloud.ply", ply));
        assertEquals(0, lp.mesh().triangleCount());
        assertEquals(3, lp.mesh().vertexCount());
        assertEquals(1.0, lp.mesh().vertex(1, 0), EXACT);
        assertEquals("label", lp.labelProperty());
        assertArrayEquals(new double[] {2, 2, 7}, lp.labels(), EXACT);
        MeshReaders.LabelledPly q = MeshReaders.readLabelledPly(text("q.ply", ply.replace("property int label\n", "")
                .replace(" 2 255", " 255").replace(" 7 255", " 255")));
        assertEquals("quality", q.labelProperty());
        assertArrayEquals(new double[] {0.5, 0.25, 0.125}, q.labels(), EXACT);
        MeshReaders.LabelledPly none = MeshReaders.readLabelledPly(text("none.ply", ply.replace("property int label\n",
                "").replace("property float quality\n", "").replace(" 0.5 2 ", " ").replace(" 0.25 2 ", " ")
                .replace(" 0.125 7 ", " ")));
        assertFalse(none.hasLabels());
        assertEquals(3, none.mesh().vertexCount());
        assertMalformed(text("nan.ply", ply.replace("0.25 2", "nan 2")), ":16:", "nan");
    }

    @Test
    void plyMalformedInputNamesFileAndLine() throws IOException {
        String good = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
                + "element face 1\nproperty list uchar int vertex_indices\nend_header\n";
        assertMalformed(text("num.ply", good + "0 0 0\n1 0 0\n0 one 0\n3 0 1 2\n"), ":12:", "'one'");
        assertMalformed(text("range.ply", good + "0 0 0\n1 0 0\n0 1 0\n3 0 1 5\n"), ":13:", "outside [0, 3)");
        assertMalformed(text("trunc.ply", good + "0 0 0\n1 0 0\n0 1 0\n"), ":12:", "unexpected end of file");
        assertMalformed(text("magic.ply", good.substring(4)), ":1:", "missing the 'ply' header");
        assertMalformed(text("big.ply", good.replace("ascii", "binary_big_endian")), ":2:", "binary_big_endian");
        assertMalformed(text("noend.ply", good.replace("end_header\n", "")), ":8:", "missing 'end_header'");
        assertMalformed(text("noz.ply", good.replace("property float z\n", "")), ":3:", "no property z");
        assertMalformed(text("type.ply", good.replace("float y", "real y")), ":5:", "unknown property type 'real'");
    }
}
