package org.gwembed.metricspaces;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.gwembed.core.Require;

/**
 * Readers for triangle meshes in Wavefront OBJ, OFF, PLY (ascii and binary little-endian) and STL (ascii and
 * binary) files. Polygons with
 * more than three corners are fan-triangulated: {@code (p0, p1, p2), (p0, p2, p3), ...}; fan triangles that repeat
 * a vertex (as in a quad {@code 1 2 3 3}) are skipped, and a face with fewer than three distinct vertices is an
 * error.
 *
 * <p>Malformed files raise an {@link InputFormatException} whose message starts with the file name and the line
 * number (for binary PLY data: the element, item and byte offset); I/O failures raise {@link IOException}.
 *
 * <p>Formats (what is read; everything else is skipped):
 * <ul>
 *   <li><b>OBJ</b>: {@code v x y z [w | r g b]} and {@code f} lines; face corners {@code i}, {@code i/t},
 *       {@code i//n}, {@code i/t/n} with 1-based indices, negative ones relative to the vertices read so far;
 *       {@code vt}, {@code vn}, groups, materials, {@code #} comments and other statements are ignored.</li>
 *   <li><b>OFF</b>: header {@code OFF} (also {@code COFF}, {@code NOFF}, {@code CNOFF}, {@code STOFF}...: the extra
 *       per-vertex values are ignored; {@code 4OFF}, {@code nOFF} and {@code OFF BINARY} are refused), counts
 *       {@code nv nf [ne]} on the header line or the next one, one vertex per line, faces
 *       {@code k i_1 .. i_k [colour]} with 0-based indices, {@code #} comments anywhere.</li>
 *   <li><b>PLY</b>: {@code format ascii} or {@code binary_little_endian} ({@code binary_big_endian} is refused);
 *       element {@code vertex} with scalar properties {@code x, y, z} of any numeric type; element {@code face} with
 *       a list property {@code vertex_indices} (or {@code vertex_index}) of any integer count and index types;
 *       a scalar vertex property {@code label} (else {@code quality}) is kept as per-vertex labels by
 *       {@link #readLabelledPly}; other properties and elements are skipped. A file without faces (what Open3D and
 *       PCL write for point clouds) gives a mesh without triangles.</li>
 *   <li><b>STL</b>: ascii ({@code solid}, {@code facet normal}, {@code outer loop}, three {@code vertex x y z},
 *       {@code endloop}, {@code endfacet}, {@code endsolid}; several solids in one file are joined) or binary
 *       (80-byte header, little-endian uint32 triangle count, 50 bytes per triangle; the count is checked against
 *       the file size before anything is allocated). A file starting with {@code solid} is ascii unless its size is
 *       exactly that of a binary STL with its count. STL repeats each vertex in every facet: vertices are merged
 *       by exact coordinate equality, and facets that are degenerate after the merge are skipped. Normals and the
 *       attribute bytes are ignored.</li>
 * </ul>
 * References: Wavefront OBJ specification (Appendix B1 of the Advanced Visualizer manual); Geomview OFF
 * documentation; Greg Turk, "The PLY polygon file format" (1994).
 */
public final class MeshReaders {

    private MeshReaders() {
    }

    /**
     * Reads a mesh, choosing the format by the file extension ({@code .obj}, {@code .off}, {@code .ply},
     * {@code .stl}, in any case).
     *
     * @throws IllegalArgumentException for another extension
     * @throws InputFormatException     if the file is malformed
     * @throws IOException              if it cannot be read
     */
    public static TriangleMesh read(Path file) throws IOException {
        Require.nonNull(file, "file");
        Tables.requireRegularFile(file);
        return switch (extension(file)) {
            case "obj" -> readObj(file);
            case "off" -> readOff(file);
            case "ply" -> readPly(file);
            case "stl" -> readStl(file);
            default -> throw new IllegalArgumentException("cannot tell the mesh format of " + file
                    + ": expected the extension .obj, .off, .ply or .stl");
        };
    }

    static String extension(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Reads a Wavefront OBJ file (see the class comment). */
    public static TriangleMesh readObj(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readObj(in, String.valueOf(file.getFileName()));
        }
    }

    /** Reads Wavefront OBJ text from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static TriangleMesh readObj(InputStream in, String name) throws IOException {
        BufferedReader r = reader(in);
        DoubleList xyz = new DoubleList();
        IntList tri = new IntList();
        IntList triLine = new IntList();
        int lineNo = 0;
        String raw;
        StringBuilder pending = null;
        int pendingStart = 0;
        IntList poly = new IntList();
        while ((raw = r.readLine()) != null) {
            lineNo++;
            String line = stripComment(raw, '#');
            // A backslash at the end of a line continues the statement on the next line.
            if (line.endsWith("\\")) {
                if (pending == null) {
                    pending = new StringBuilder();
                    pendingStart = lineNo;
                }
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            int at = lineNo;
            if (pending != null) {
                line = pending.append(line).toString();
                at = pendingStart;
                pending = null;
            }
            String[] tok = tokens(line);
            if (tok.length == 0) {
                continue;
            }
            switch (tok[0]) {
                case "v" -> {
                    if (tok.length < 4) {
                        throw InputFormatException.atLine(name, at, "vertex needs 3 coordinates, got "
                                + (tok.length - 1) + ": '" + line.trim() + "'");
                    }
                    for (int c = 1; c <= 3; c++) {
                        xyz.add(parseDouble(tok[c], name, at, "vertex coordinate"));
                    }
                }
                case "f" -> {
                    if (tok.length < 4) {
                        throw InputFormatException.atLine(name, at, "face needs at least 3 vertices, got "
                                + (tok.length - 1));
                    }
                    int nv = xyz.size() / 3;
                    poly.clear();
                    for (int k = 1; k < tok.length; k++) {
                        String t = tok[k];
                        int slash = t.indexOf('/');
                        String head = slash < 0 ? t : t.substring(0, slash);
                        long idx;
                        try {
                            idx = Long.parseLong(head);
                        } catch (NumberFormatException e) {
                            throw InputFormatException.atLine(name, at, "bad face vertex '" + t + "'");
                        }
                        if (idx == 0) {
                            throw InputFormatException.atLine(name, at, "face vertex index 0 (OBJ indices start at 1)");
                        }
                        long zeroBased = idx > 0 ? idx - 1 : nv + idx;
                        if (zeroBased < 0 || zeroBased > Integer.MAX_VALUE) {
                            throw InputFormatException.atLine(name, at, "face vertex index " + idx
                                    + " is outside the " + nv + " vertices read so far");
                        }
                        poly.add((int) zeroBased);
                    }
                    fan(poly, tri, triLine, at, name);
                }
                default -> {
                    // vt, vn, vp, g, o, s, usemtl, mtllib, l, p, ...: not needed for the geometry.
                }
            }
        }
        if (pending != null) {
            throw InputFormatException.atLine(name, pendingStart, "line continuation '\\' at the end of the file");
        }
        int nv = xyz.size() / 3;
        if (nv == 0) {
            throw InputFormatException.atLine(name, Math.max(lineNo, 1), "no vertices ('v' lines) in the file");
        }
        for (int k = 0; k < tri.size(); k++) {
            if (tri.get(k) >= nv) {
                throw InputFormatException.atLine(name, triLine.get(k / 3), "face vertex index " + (tri.get(k) + 1)
                        + " is outside [1, " + nv + "]");
            }
        }
        return TriangleMesh.validated(xyz.toArray(), tri.toArray());
    }

    /** Reads an OFF file (see the class comment). */
    public static TriangleMesh readOff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readOff(in, String.valueOf(file.getFileName()));
        }
    }

    /** Reads OFF text from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static TriangleMesh readOff(InputStream in, String name) throws IOException {
        LineSource src = new LineSource(reader(in), name);
        String[] tok = src.next();
        if (tok == null) {
            throw InputFormatException.atLine(name, Math.max(src.lineNo, 1), "empty file: missing the OFF header");
        }
        String head = tok[0];
        if (!head.endsWith("OFF")) {
            throw InputFormatException.atLine(name, src.lineNo, "missing the OFF header: the first line starts with '"
                    + head + "'");
        }
        String prefix = head.substring(0, head.length() - 3);
        if (prefix.contains("4") || prefix.contains("n")) {
            throw InputFormatException.atLine(name, src.lineNo, "'" + head
                    + "' files (not 3-dimensional) are not supported");
        }
        if (!prefix.matches("(ST)?C?N?")) {
            throw InputFormatException.atLine(name, src.lineNo, "unknown OFF header '" + head + "'");
        }
        int first = 1;
        if (tok.length > 1 && tok[1].equalsIgnoreCase("BINARY")) {
            throw InputFormatException.atLine(name, src.lineNo, "binary OFF is not supported");
        }
        if (tok.length == first) {
            tok = src.next();
            first = 0;
            if (tok == null) {
                throw InputFormatException.atLine(name, src.lineNo, "unexpected end of file: missing the counts line"
                        + " 'vertices faces [edges]'");
            }
        }
        if (tok.length - first < 2) {
            throw InputFormatException.atLine(name, src.lineNo, "counts line needs 'vertices faces [edges]', got '"
                    + String.join(" ", Arrays.copyOfRange(tok, first, tok.length)) + "'");
        }
        int nv = parseCount(tok[first], name, src.lineNo, "vertex count");
        int nf = parseCount(tok[first + 1], name, src.lineNo, "face count");
        if (nv < 1) {
            throw InputFormatException.atLine(name, src.lineNo, "vertex count must be >= 1, got " + nv);
        }
        // grown as the vertices are read: the count in the header is not trusted with an allocation
        DoubleList coords = new DoubleList();
        for (int i = 0; i < nv; i++) {
            tok = src.next();
            if (tok == null) {
                throw InputFormatException.atLine(name, src.lineNo, "unexpected end of file: expected " + nv
                        + " vertices, found " + i);
            }
            if (tok.length < 3) {
                throw InputFormatException.atLine(name, src.lineNo, "vertex needs 3 coordinates, got " + tok.length);
            }
            for (int c = 0; c < 3; c++) {
                coords.add(parseDouble(tok[c], name, src.lineNo, "vertex coordinate"));
            }
        }
        double[] xyz = coords.toArray();
        IntList tri = new IntList();
        IntList triLine = new IntList();
        IntList poly = new IntList();
        for (int f = 0; f < nf; f++) {
            tok = src.next();
            if (tok == null) {
                throw InputFormatException.atLine(name, src.lineNo, "unexpected end of file: expected " + nf
                        + " faces, found " + f);
            }
            int k = parseCount(tok[0], name, src.lineNo, "face corner count");
            if (k < 3) {
                throw InputFormatException.atLine(name, src.lineNo, "face needs at least 3 vertices, got " + k);
            }
            if (k > tok.length - 1) { // not tok.length < k + 1, which overflows for k = 2^31 - 1
                throw InputFormatException.atLine(name, src.lineNo, "face announces " + k + " vertices but lists "
                        + (tok.length - 1));
            }
            poly.clear();
            for (int c = 1; c <= k; c++) {
                int idx = parseIndex(tok[c], name, src.lineNo);
                if (idx >= nv) {
                    throw InputFormatException.atLine(name, src.lineNo, "face vertex index " + idx
                            + " is outside [0, " + nv + ")");
                }
                poly.add(idx);
            }
            fan(poly, tri, triLine, src.lineNo, name);
        }
        return TriangleMesh.validated(xyz, tri.toArray());
    }

    /** Reads a PLY file, ascii or binary little-endian (see the class comment). */
    public static TriangleMesh readPly(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readPly(in, String.valueOf(file.getFileName()));
        }
    }

    /** Reads PLY data from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static TriangleMesh readPly(InputStream in, String name) throws IOException {
        return readLabelledPly(in, name).mesh();
    }

    /** The PLY vertex properties read as per-vertex labels, in the order they are looked for. */
    public static final List<String> PLY_LABEL_PROPERTIES = List.of("label", "quality");

    /**
     * A PLY mesh and its per-vertex labels.
     *
     * @param mesh          the mesh (no triangles for a point cloud)
     * @param labelProperty the vertex property the labels come from ({@code label}, else {@code quality}), or null
     * @param labels        one value per vertex of {@code mesh} (before any restriction), or null without such a
     *                      property
     */
    public record LabelledPly(TriangleMesh mesh, String labelProperty, double[] labels) {

        /** Whether the file had a label property. */
        public boolean hasLabels() {
            return labels != null;
        }
    }

    /**
     * Reads a PLY file with the scalar vertex property {@code label} (or, without it, {@code quality}) as per-vertex
     * labels, as Open3D, PCL and MeshLab write them; finite values required.
     */
    public static LabelledPly readLabelledPly(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabelledPly(in, String.valueOf(file.getFileName()));
        }
    }

    /** As {@link #readLabelledPly(Path)} from a stream; {@code name} is used in messages. The stream is not closed. */
    public static LabelledPly readLabelledPly(InputStream in, String name) throws IOException {
        BufferedInputStream bin = new BufferedInputStream(in);
        PlyHeader h = PlyHeader.read(bin, name);
        byte[] body = bin.readAllBytes();
        PlySource src = h.binary
                ? new BinarySource(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN), name, h.byteLength)
                : new AsciiSource(reader(new java.io.ByteArrayInputStream(body)), name, h.lineCount);
        int nv = -1;
        double[] xyz = null;
        IntList tri = new IntList();
        IntList triWhere = new IntList();   // index into faceWhere
        List<String> faceWhere = new ArrayList<>();
        List<Long> faceLine = new ArrayList<>();
        IntList poly = new IntList();
        String labelProperty = null;
        double[] labels = null;
        int labelIndex = -1;
        for (PlyElement e : h.elements) {
            boolean isVertex = e.name.equals("vertex");
            boolean isFace = e.name.equals("face");
            int[] coord = new int[e.properties.size()];
            Arrays.fill(coord, -1);
            int faceList = -1;
            if (isVertex) {
                for (int c = 0; c < 3; c++) {
                    coord[e.find(List.of("x", "y", "z").get(c))] = c;
                }
            }
            if (isFace) {
                faceList = e.faceListIndex();
            }
            h.checkCount(e, src instanceof BinarySource b ? b.remaining() : body.length, name);
            if (isVertex) {
                nv = e.count;
                xyz = new double[3 * nv];
                for (String candidate : PLY_LABEL_PROPERTIES) {
                    int at = e.scalarIndex(candidate);
                    if (at >= 0 && labelProperty == null) {
                        labelProperty = candidate;
                        labelIndex = at;
                        labels = new double[nv];
                    }
                }
            }
            for (int item = 0; item < e.count; item++) {
                src.startItem(e.name, item);
                for (int p = 0; p < e.properties.size(); p++) {
                    PlyProperty prop = e.properties.get(p);
                    if (prop.countType == null) {
                        double v = src.scalar(prop.type);
                        if (isVertex && coord[p] >= 0) {
                            if (!Double.isFinite(v)) {
                                throw src.error("vertex coordinate " + prop.name + " must be finite, got " + v);
                            }
                            xyz[3 * item + coord[p]] = v;
                        } else if (isVertex && p == labelIndex) {
                            if (!Double.isFinite(v)) {
                                throw src.error("vertex " + labelProperty + " must be finite, got " + v);
                            }
                            labels[item] = v;
                        }
                    } else {
                        long k = src.integer(prop.countType);
                        if (k < 0 || k > Integer.MAX_VALUE) {
                            throw src.error("list length " + k + " of property " + prop.name + " is invalid");
                        }
                        if (p == faceList) {
                            if (k < 3) {
                                throw src.error("face needs at least 3 vertices, got " + k);
                            }
                            poly.clear();
                            for (int c = 0; c < k; c++) {
                                long idx = src.integer(prop.type);
                                if (idx < 0 || idx > Integer.MAX_VALUE) {
                                    throw src.error("face vertex index " + idx + " is negative or too large");
                                }
                                poly.add((int) idx);
                            }
                            faceWhere.add(src.where());
                            faceLine.add(src.line());
                            fan(poly, tri, triWhere, faceWhere.size() - 1, src);
                        } else {
                            for (int c = 0; c < k; c++) {
                                src.scalar(prop.type);
                            }
                        }
                    }
                }
            }
        }
        src.finish();
        if (nv < 1) {
            throw InputFormatException.atLine(name, h.vertexLine, "the vertex element must have at least one item");
        }
        for (int k = 0; k < tri.size(); k++) {
            if (tri.get(k) >= nv) {
                int face = triWhere.get(k / 3);
                String problem = "face vertex index " + tri.get(k) + " is outside [0, " + nv + ")";
                throw faceLine.get(face) >= 0 ? InputFormatException.atLine(name, faceLine.get(face), problem)
                        : InputFormatException.at(name, faceWhere.get(face), problem);
            }
        }
        return new LabelledPly(TriangleMesh.validated(xyz, tri.toArray()), labelProperty, labels);
    }

    /** Reads an STL file, ascii or binary (see the class comment). */
    public static TriangleMesh readStl(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readStl(in, String.valueOf(file.getFileName()));
        }
    }

    /** Reads STL data (ascii or binary) from a stream; {@code name} is used in error messages. Not closed. */
    public static TriangleMesh readStl(InputStream in, String name) throws IOException {
        byte[] body = in.readAllBytes();
        long declared = body.length >= 84 ? Integer.toUnsignedLong(ByteBuffer.wrap(body, 80, 4)
                .order(ByteOrder.LITTLE_ENDIAN).getInt()) : -1;
        boolean exactBinary = declared >= 0 && 84 + 50 * declared == body.length;
        // "solid" opens an ascii file, but some binary writers start their header with it too: the size decides
        if (!exactBinary && startsWithSolid(body)) {
            return readStlAscii(body, name);
        }
        if (body.length < 84) {
            throw InputFormatException.at(name, "byte offset 0", "too short for a binary STL (" + body.length
                    + " bytes, the header and count take 84) and not an ascii STL (no 'solid' at the start)");
        }
        if (84 + 50 * declared > body.length) {
            // checked before anything is allocated for the triangles
            throw InputFormatException.at(name, "byte offset 80", "binary STL declares " + declared
                    + " triangles, which need " + (84 + 50 * declared) + " bytes, but the file has " + body.length
                    + " bytes (truncated file or wrong count)");
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        StlVertices v = new StlVertices();
        int[] corner = new int[3];
        for (int t = 0; t < declared; t++) {
            int at = 84 + 50 * t;
            for (int k = 0; k < 3; k++) {
                double[] p = new double[3];
                for (int c = 0; c < 3; c++) {
                    p[c] = b.getFloat(at + 12 + 12 * k + 4 * c);
                    if (!Double.isFinite(p[c])) {
                        throw InputFormatException.at(name, "triangle " + t + ", byte offset "
                                + (at + 12 + 12 * k + 4 * c), "vertex coordinate must be finite, got " + p[c]);
                    }
                }
                corner[k] = v.index(p[0], p[1], p[2]);
            }
            v.triangle(corner);
        }
        if (v.size() == 0) {
            throw InputFormatException.at(name, "byte offset 80", "the binary STL has no triangles");
        }
        return TriangleMesh.validated(v.xyz.toArray(), v.tri.toArray());
    }

    private static boolean startsWithSolid(byte[] body) {
        int i = 0;
        while (i < body.length && i < 1000 && Character.isWhitespace(body[i] & 0xFF)) {
            i++;
        }
        return body.length - i >= 5 && new String(body, i, 5, StandardCharsets.ISO_8859_1)
                .equalsIgnoreCase("solid");
    }

    private static TriangleMesh readStlAscii(byte[] body, String name) throws IOException {
        LineSource src = new LineSource(reader(new java.io.ByteArrayInputStream(body)), name);
        StlVertices v = new StlVertices();
        String[] tok;
        // states: 0 outside a solid, 1 in a solid, 2 in a facet, 3 in its loop, 4 after its loop
        int state = 0;
        int loopVertices = 0;
        int[] corner = new int[3];
        while ((tok = src.next()) != null) {
            String key = tok[0].toLowerCase(Locale.ROOT);
            int line = src.lineNo;
            switch (key) {
                case "solid" -> state = expect(state, 0, 1, key, name, line);
                case "facet" -> {
                    state = expect(state, 1, 2, key, name, line);
                    if (tok.length != 5 || !tok[1].equalsIgnoreCase("normal")) {
                        throw InputFormatException.atLine(name, line, "facet line must be 'facet normal nx ny nz'");
                    }
                    for (int c = 2; c < 5; c++) {
                        parseDouble(tok[c], name, line, "facet normal component");
                    }
                }
                case "outer" -> {
                    state = expect(state, 2, 3, key, name, line);
                    if (tok.length != 2 || !tok[1].equalsIgnoreCase("loop")) {
                        throw InputFormatException.atLine(name, line, "expected 'outer loop'");
                    }
                    loopVertices = 0;
                }
                case "vertex" -> {
                    expect(state, 3, 3, key, name, line);
                    if (tok.length != 4) {
                        throw InputFormatException.atLine(name, line, "vertex needs 3 coordinates, got "
                                + (tok.length - 1));
                    }
                    if (loopVertices == 3) {
                        throw InputFormatException.atLine(name, line, "facet has more than 3 vertices");
                    }
                    corner[loopVertices++] = v.index(parseDouble(tok[1], name, line, "vertex coordinate"),
                            parseDouble(tok[2], name, line, "vertex coordinate"),
                            parseDouble(tok[3], name, line, "vertex coordinate"));
                }
                case "endloop" -> {
                    state = expect(state, 3, 4, key, name, line);
                    if (loopVertices != 3) {
                        throw InputFormatException.atLine(name, line, "facet has " + loopVertices
                                + " vertices, expected 3");
                    }
                    v.triangle(corner);
                }
                case "endfacet" -> state = expect(state, 4, 1, key, name, line);
                case "endsolid" -> state = expect(state, 1, 0, key, name, line);
                default -> throw InputFormatException.atLine(name, line, "unknown STL keyword '" + tok[0] + "'");
            }
        }
        if (state != 0) {
            throw InputFormatException.atLine(name, Math.max(src.lineNo, 1), "unexpected end of file: missing '"
                    + List.of("", "endsolid", "endfacet", "endloop", "endfacet").get(state) + "'");
        }
        if (v.size() == 0) {
            throw InputFormatException.atLine(name, Math.max(src.lineNo, 1), "the STL has no facets");
        }
        return TriangleMesh.validated(v.xyz.toArray(), v.tri.toArray());
    }

    /** Checks an ascii STL keyword against the state it may appear in; returns the state after it. */
    private static int expect(int state, int required, int next, String key, String name, int line) {
        if (state != required) {
            String[] where = {"outside a solid", "in a solid, outside a facet", "in a facet, before 'outer loop'",
                "in an outer loop", "after 'endloop'"};
            throw InputFormatException.atLine(name, line, "'" + key + "' " + where[state] + " (expected it "
                    + where[required] + ")");
        }
        return next;
    }

    /**
     * STL's vertices, merged by exact coordinate equality ({@code -0.0 == 0.0}), and its triangles; facets that
     * repeat a vertex after the merge (degenerate triangles, common in exported STL) are skipped.
     */
    private static final class StlVertices {
        final java.util.Map<List<Double>, Integer> index = new java.util.HashMap<>();
        final DoubleList xyz = new DoubleList();
        final IntList tri = new IntList();

        int index(double x, double y, double z) {
            // + 0.0 turns -0.0 into 0.0, so that equal coordinates have equal keys
            List<Double> key = List.of(x + 0.0, y + 0.0, z + 0.0);
            Integer i = index.get(key);
            if (i == null) {
                i = index.size();
                index.put(key, i);
                xyz.add(x + 0.0);
                xyz.add(y + 0.0);
                xyz.add(z + 0.0);
            }
            return i;
        }

        void triangle(int[] c) {
            if (c[0] != c[1] && c[1] != c[2] && c[0] != c[2]) {
                tri.add(c[0]);
                tri.add(c[1]);
                tri.add(c[2]);
            }
        }

        int size() {
            return xyz.size() / 3;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Shared helpers

    private static BufferedReader reader(InputStream in) {
        // Latin-1 maps every byte to a char, so no decoding error can hide a line number.
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
    }

    private static String stripComment(String line, char mark) {
        int hash = line.indexOf(mark);
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static String[] tokens(String line) {
        String t = line.strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    private static double parseDouble(String token, String name, long line, String what) {
        String t = token.toLowerCase(Locale.ROOT);
        if (t.matches("[+-]?(nan|inf|infinity)")) {
            throw InputFormatException.atLine(name, line, what + " must be finite, got '" + token + "'");
        }
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw InputFormatException.atLine(name, line, "bad " + what + " '" + token + "'");
        }
        if (!Double.isFinite(v)) {
            throw InputFormatException.atLine(name, line, what + " must be finite, got '" + token + "'");
        }
        return v;
    }

    private static int parseCount(String token, String name, long line, String what) {
        try {
            int v = Integer.parseInt(token);
            if (v < 0) {
                throw InputFormatException.atLine(name, line, what + " must be >= 0, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw InputFormatException.atLine(name, line, "bad " + what + " '" + token + "'");
        }
    }

    private static int parseIndex(String token, String name, long line) {
        try {
            int v = Integer.parseInt(token);
            if (v < 0) {
                throw InputFormatException.atLine(name, line, "face vertex index must be >= 0, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw InputFormatException.atLine(name, line, "bad face vertex index '" + token + "'");
        }
    }

    /** Fan-triangulates a polygon from a text file; records the line of each triangle. */
    private static void fan(IntList poly, IntList tri, IntList triLine, int line, String name) {
        if (!fanInto(poly, tri, triLine, line)) {
            throw InputFormatException.atLine(name, line, "face has fewer than 3 distinct vertices "
                    + poly.describe());
        }
    }

    private static void fan(IntList poly, IntList tri, IntList triWhere, int where, PlySource src) {
        if (!fanInto(poly, tri, triWhere, where)) {
            throw src.error("face has fewer than 3 distinct vertices " + poly.describe());
        }
    }

    /** Appends the non-degenerate fan triangles; returns whether there was at least one. */
    private static boolean fanInto(IntList poly, IntList tri, IntList tag, int tagValue) {
        int p0 = poly.get(0);
        boolean any = false;
        for (int k = 1; k + 1 < poly.size(); k++) {
            int a = poly.get(k);
            int b = poly.get(k + 1);
            if (p0 == a || a == b || p0 == b) {
                continue;
            }
            tri.add(p0);
            tri.add(a);
            tri.add(b);
            tag.add(tagValue);
            any = true;
        }
        return any;
    }

    /** Non-blank lines with comments removed, split into tokens, with the current line number. */
    private static final class LineSource {
        private final BufferedReader r;
        private final String name;
        int lineNo;

        LineSource(BufferedReader r, String name) {
            this.r = r;
            this.name = name;
        }

        String[] next() throws IOException {
            String raw;
            while ((raw = r.readLine()) != null) {
                lineNo++;
                String[] t = tokens(stripComment(raw, '#'));
                if (t.length > 0) {
                    return t;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return name + ":" + lineNo;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // PLY

    /** PLY scalar types with their sizes in bytes. */
    enum PlyType {
        CHAR(1, true), UCHAR(1, true), SHORT(2, true), USHORT(2, true), INT(4, true), UINT(4, true),
        FLOAT(4, false), DOUBLE(8, false);

        final int bytes;
        final boolean integer;

        PlyType(int bytes, boolean integer) {
            this.bytes = bytes;
            this.integer = integer;
        }

        static PlyType parse(String s) {
            return switch (s) {
                case "char", "int8" -> CHAR;
                case "uchar", "uint8" -> UCHAR;
                case "short", "int16" -> SHORT;
                case "ushort", "uint16" -> USHORT;
                case "int", "int32" -> INT;
                case "uint", "uint32" -> UINT;
                case "float", "float32" -> FLOAT;
                case "double", "float64" -> DOUBLE;
                default -> null;
            };
        }
    }

    /** A property: scalar ({@code countType == null}) or list. */
    private record PlyProperty(String name, PlyType type, PlyType countType) {
    }

    private static final class PlyElement {
        final String name;
        final int count;
        final int line;
        final String file;
        final List<PlyProperty> properties = new ArrayList<>();

        PlyElement(String name, int count, int line, String file) {
            this.name = name;
            this.count = count;
            this.line = line;
            this.file = file;
        }

        int find(String property) {
            for (int p = 0; p < properties.size(); p++) {
                PlyProperty prop = properties.get(p);
                if (prop.name.equals(property)) {
                    if (prop.countType != null) {
                        throw InputFormatException.atLine(file, line, "element " + name + " property " + property
                                + " must be a scalar, not a list");
                    }
                    return p;
                }
            }
            throw InputFormatException.atLine(file, line, "element " + name + " has no property " + property);
        }

        /** The index of the scalar property {@code property}, or -1. */
        int scalarIndex(String property) {
            for (int p = 0; p < properties.size(); p++) {
                if (properties.get(p).name.equals(property) && properties.get(p).countType == null) {
                    return p;
                }
            }
            return -1;
        }

        int faceListIndex() {
            for (int p = 0; p < properties.size(); p++) {
                PlyProperty prop = properties.get(p);
                if (prop.name.equals("vertex_indices") || prop.name.equals("vertex_index")) {
                    if (prop.countType == null || !prop.type.integer || !prop.countType.integer) {
                        throw InputFormatException.atLine(file, line, "face property " + prop.name
                                + " must be a list of integers");
                    }
                    return p;
                }
            }
            throw InputFormatException.atLine(file, line, "element face has no list property vertex_indices"
                    + " (or vertex_index)");
        }
    }

    private static final class PlyHeader {
        boolean binary;
        long byteLength;
        int lineCount;
        int vertexLine;
        final List<PlyElement> elements = new ArrayList<>();

        static PlyHeader read(BufferedInputStream in, String name) throws IOException {
            PlyHeader h = new PlyHeader();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            boolean sawFormat = false;
            while (true) {
                buf.reset();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    buf.write(b);
                    h.byteLength++;
                    if (buf.size() > 100_000) {
                        throw InputFormatException.atLine(name, h.lineCount + 1, "header line is too long (binary"
                                + " data without 'end_header'?)");
                    }
                }
                if (b == -1 && buf.size() == 0) {
                    throw InputFormatException.atLine(name, Math.max(h.lineCount, 1), h.lineCount == 0
                            ? "empty file: missing the 'ply' header" : "unexpected end of file: missing 'end_header'");
                }
                if (b == '\n') {
                    h.byteLength++;
                }
                h.lineCount++;
                int line = h.lineCount;
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                String[] tok = tokens(text);
                if (line == 1) {
                    if (tok.length != 1 || !tok[0].equals("ply")) {
                        throw InputFormatException.atLine(name, 1, "missing the 'ply' header: the first line is '"
                                + abbreviate(text) + "'");
                    }
                    continue;
                }
                if (b == -1) {
                    throw InputFormatException.atLine(name, line, "unexpected end of file: missing 'end_header'");
                }
                if (tok.length == 0) {
                    continue;
                }
                switch (tok[0]) {
                    case "format" -> {
                        if (tok.length < 2) {
                            throw InputFormatException.atLine(name, line, "format line needs a format name");
                        }
                        switch (tok[1]) {
                            case "ascii" -> h.binary = false;
                            case "binary_little_endian" -> h.binary = true;
                            case "binary_big_endian" -> throw InputFormatException.atLine(name, line,
                                    "binary_big_endian PLY is not supported; convert it to ascii or"
                                    + " binary_little_endian");
                            default -> throw InputFormatException.atLine(name, line, "unknown PLY format '" + tok[1]
                                    + "'");
                        }
                        sawFormat = true;
                    }
                    case "comment", "obj_info" -> {
                        // ignored
                    }
                    case "element" -> {
                        if (tok.length != 3) {
                            throw InputFormatException.atLine(name, line, "element line must be 'element NAME COUNT'");
                        }
                        int count = parseCount(tok[2], name, line, "element count");
                        if (tok[1].equals("vertex")) {
                            h.vertexLine = line;
                        }
                        h.elements.add(new PlyElement(tok[1], count, line, name));
                    }
                    case "property" -> {
                        if (h.elements.isEmpty()) {
                            throw InputFormatException.atLine(name, line, "property before any element");
                        }
                        PlyElement e = h.elements.get(h.elements.size() - 1);
                        if (tok.length == 3) {
                            e.properties.add(new PlyProperty(tok[2], type(tok[1], name, line), null));
                        } else if (tok.length == 5 && tok[1].equals("list")) {
                            PlyType ct = type(tok[2], name, line);
                            if (!ct.integer) {
                                throw InputFormatException.atLine(name, line, "list count type must be an integer"
                                        + " type, got " + tok[2]);
                            }
                            e.properties.add(new PlyProperty(tok[4], type(tok[3], name, line), ct));
                        } else {
                            throw InputFormatException.atLine(name, line, "property line must be 'property TYPE NAME'"
                                    + " or 'property list COUNT_TYPE TYPE NAME', got '" + abbreviate(text) + "'");
                        }
                    }
                    case "end_header" -> {
                        if (!sawFormat) {
                            throw InputFormatException.atLine(name, line, "missing the 'format' line");
                        }
                        long vertexElements = h.elements.stream().filter(e -> e.name.equals("vertex")).count();
                        if (vertexElements != 1) {
                            throw InputFormatException.atLine(name, line, "expected one 'vertex' element, found "
                                    + vertexElements);
                        }
                        return h;
                    }
                    default -> throw InputFormatException.atLine(name, line, "unknown header keyword '" + tok[0]
                            + "'");
                }
            }
        }

        /**
         * Refuses an element whose declared count cannot fit in the {@code bytesLeft} of the file (each item
         * takes at least its scalars' and list counts' bytes in binary, at least a byte per value in ascii), before
         * anything is allocated for it: a header claiming 10^9 vertices is an error, not an out-of-memory. (A file
         * a little too short for its ascii counts is reported where it ends.)
         */
        void checkCount(PlyElement e, long bytesLeft, String name) {
            long perItem = 0;
            for (PlyProperty p : e.properties) {
                perItem += binary ? (p.countType == null ? p.type.bytes : p.countType.bytes) : 1;
            }
            long needed = Math.max(1, perItem) * (long) e.count;
            if (needed > bytesLeft) {
                throw InputFormatException.atLine(name, e.line, "element " + e.name + " declares " + e.count
                        + " items, which need at least " + needed + " bytes of data, but only " + bytesLeft
                        + " bytes are left in the file (truncated file or wrong count)");
            }
        }

        private static PlyType type(String s, String name, int line) {
            PlyType t = PlyType.parse(s);
            if (t == null) {
                throw InputFormatException.atLine(name, line, "unknown property type '" + s + "'");
            }
            return t;
        }

        private static String abbreviate(String s) {
            String t = s.strip();
            return t.length() <= 40 ? t : t.substring(0, 40) + "...";
        }
    }

    /** Where PLY values come from: ascii tokens or little-endian bytes. */
    private interface PlySource {
        void startItem(String element, int item);

        double scalar(PlyType type) throws IOException;

        long integer(PlyType type) throws IOException;

        String where();

        /** The current line, or {@code -1} for binary data. */
        long line();

        InputFormatException error(String problem);

        void finish() throws IOException;
    }

    private static final class AsciiSource implements PlySource {
        private final BufferedReader r;
        private final String name;
        private int lineNo;
        private String[] tok = new String[0];
        private int pos;
        private String element;
        private int item;

        AsciiSource(BufferedReader r, String name, int headerLines) {
            this.r = r;
            this.name = name;
            this.lineNo = headerLines;
        }

        @Override
        public void startItem(String elementName, int itemIndex) {
            element = elementName;
            item = itemIndex;
        }

        private String token() throws IOException {
            while (pos >= tok.length) {
                String raw = r.readLine();
                if (raw == null) {
                    throw InputFormatException.atLine(name, lineNo, "unexpected end of file in element " + element
                            + ", item " + item);
                }
                lineNo++;
                tok = tokens(raw);
                pos = 0;
            }
            return tok[pos++];
        }

        @Override
        public double scalar(PlyType type) throws IOException {
            String t = token();
            try {
                return type.integer ? Long.parseLong(t) : Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw error("bad " + type.name().toLowerCase(Locale.ROOT) + " value '" + t + "'");
            }
        }

        @Override
        public long integer(PlyType type) throws IOException {
            String t = token();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw error("bad " + type.name().toLowerCase(Locale.ROOT) + " value '" + t + "'");
            }
        }

        @Override
        public String where() {
            return "line " + lineNo;
        }

        @Override
        public long line() {
            return lineNo;
        }

        @Override
        public InputFormatException error(String problem) {
            return InputFormatException.atLine(name, lineNo, problem + " (element " + element + ", item " + item
                    + ")");
        }

        @Override
        public void finish() {
            // Trailing tokens are tolerated (some writers add blank or comment lines).
        }
    }

    private static final class BinarySource implements PlySource {
        private final ByteBuffer buf;
        private final String name;
        private final long headerBytes;
        private String element;
        private int item;

        BinarySource(ByteBuffer buf, String name, long headerBytes) {
            this.buf = buf;
            this.name = name;
            this.headerBytes = headerBytes;
        }

        @Override
        public void startItem(String elementName, int itemIndex) {
            element = elementName;
            item = itemIndex;
        }

        @Override
        public double scalar(PlyType type) {
            return type.integer ? integer(type) : real(type);
        }

        private double real(PlyType type) {
            need(type);
            return type == PlyType.FLOAT ? buf.getFloat() : buf.getDouble();
        }

        @Override
        public long integer(PlyType type) {
            if (!type.integer) {
                return (long) real(type);
            }
            need(type);
            return switch (type) {
                case CHAR -> buf.get();
                case UCHAR -> buf.get() & 0xFF;
                case SHORT -> buf.getShort();
                case USHORT -> buf.getShort() & 0xFFFF;
                case INT -> buf.getInt();
                case UINT -> Integer.toUnsignedLong(buf.getInt());
                default -> throw new IllegalStateException(type.toString());
            };
        }

        long remaining() {
            return buf.remaining();
        }

        private void need(PlyType type) {
            if (buf.remaining() < type.bytes) {
                throw error("unexpected end of data: need " + type.bytes + " bytes for a "
                        + type.name().toLowerCase(Locale.ROOT) + ", " + buf.remaining() + " left");
            }
        }

        @Override
        public long line() {
            return -1;
        }

        @Override
        public String where() {
            return "element " + element + ", item " + item + ", byte offset " + (headerBytes + buf.position());
        }

        @Override
        public InputFormatException error(String problem) {
            return InputFormatException.at(name, where(), problem);
        }

        @Override
        public void finish() {
            // Trailing bytes are tolerated.
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Growable primitive arrays

    static final class IntList {
        private int[] a = new int[64];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * size);
            }
            a[size++] = v;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }

        String describe() {
            return Arrays.toString(toArray());
        }
    }

    static final class DoubleList {
        private double[] a = new double[192];
        private int size;

        void add(double v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * size);
            }
            a[size++] = v;
        }

        int size() {
            return size;
        }

        double[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
