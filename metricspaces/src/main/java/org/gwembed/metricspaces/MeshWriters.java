package org.gwembed.metricspaces;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.gwembed.core.Require;

/**
 * Writers for triangle meshes in the formats that {@link MeshReaders} reads: Wavefront OBJ, OFF, and PLY (ascii or
 * binary little-endian). Coordinates are written with {@link Double#toString(double)} (ascii) or as {@code double}
 * (binary), so that reading a written file gives back an {@linkplain TriangleMesh#equals(Object) equal} mesh.
 */
public final class MeshWriters {

    private MeshWriters() {
    }

    /** The PLY encodings that can be written. */
    public enum PlyEncoding {
        /** {@code format ascii 1.0}. */
        ASCII,
        /** {@code format binary_little_endian 1.0}: {@code double} coordinates, {@code uchar}/{@code int} faces. */
        BINARY_LITTLE_ENDIAN
    }

    /**
     * Writes a mesh, choosing the format by the extension of {@code file} ({@code .obj}, {@code .off}, {@code .ply}
     * as ascii), in any case.
     *
     * @throws IllegalArgumentException for another extension
     */
    public static void write(TriangleMesh mesh, Path file) throws IOException {
        Require.nonNull(mesh, "mesh");
        Require.nonNull(file, "file");
        switch (MeshReaders.extension(file)) {
            case "obj" -> writeObj(mesh, file);
            case "off" -> writeOff(mesh, file);
            case "ply" -> writePly(mesh, file, PlyEncoding.ASCII);
            default -> throw new IllegalArgumentException("cannot tell the mesh format of " + file
                    + ": expected the extension .obj, .off or .ply");
        }
    }

    /** Writes {@code v x y z} lines and {@code f a b c} lines (1-based). */
    public static void writeObj(TriangleMesh mesh, Path file) throws IOException {
        AtomicFiles.write(file, out -> writeObj(mesh, out));
    }

    /** As {@link #writeObj(TriangleMesh, Path)} to a stream (flushed, not closed). */
    public static void writeObj(TriangleMesh mesh, OutputStream out) throws IOException {
        Writer w = writer(out);
        w.write("# " + mesh.vertexCount() + " vertices, " + mesh.triangleCount() + " triangles\n");
        for (int i = 0; i < mesh.vertexCount(); i++) {
            w.write("v " + mesh.vertex(i, 0) + " " + mesh.vertex(i, 1) + " " + mesh.vertex(i, 2) + "\n");
        }
        for (int t = 0; t < mesh.triangleCount(); t++) {
            w.write("f " + (mesh.corner(t, 0) + 1) + " " + (mesh.corner(t, 1) + 1) + " " + (mesh.corner(t, 2) + 1)
                    + "\n");
        }
        w.flush();
    }

    /** Writes an {@code OFF} file: header, counts {@code nv nf 0}, vertices, faces {@code 3 a b c} (0-based). */
    public static void writeOff(TriangleMesh mesh, Path file) throws IOException {
        AtomicFiles.write(file, out -> writeOff(mesh, out));
    }

    /** As {@link #writeOff(TriangleMesh, Path)} to a stream (flushed, not closed). */
    public static void writeOff(TriangleMesh mesh, OutputStream out) throws IOException {
        Writer w = writer(out);
        w.write("OFF\n" + mesh.vertexCount() + " " + mesh.triangleCount() + " 0\n");
        for (int i = 0; i < mesh.vertexCount(); i++) {
            w.write(mesh.vertex(i, 0) + " " + mesh.vertex(i, 1) + " " + mesh.vertex(i, 2) + "\n");
        }
        for (int t = 0; t < mesh.triangleCount(); t++) {
            w.write("3 " + mesh.corner(t, 0) + " " + mesh.corner(t, 1) + " " + mesh.corner(t, 2) + "\n");
        }
        w.flush();
    }

    /**
     * Writes a PLY file: element {@code vertex} with {@code double x, y, z}, element {@code face} with
     * {@code list uchar int vertex_indices}.
     */
    public static void writePly(TriangleMesh mesh, Path file, PlyEncoding encoding) throws IOException {
        AtomicFiles.write(file, out -> writePly(mesh, out, encoding));
    }

    /** As {@link #writePly(TriangleMesh, Path, PlyEncoding)} to a stream (flushed, not closed). */
    public static void writePly(TriangleMesh mesh, OutputStream out, PlyEncoding encoding) throws IOException {
        Require.nonNull(encoding, "encoding");
        int n = mesh.vertexCount();
        int m = mesh.triangleCount();
        String header = "ply\nformat " + (encoding == PlyEncoding.ASCII ? "ascii" : "binary_little_endian")
                + " 1.0\ncomment written by gwembed\nelement vertex " + n
                + "\nproperty double x\nproperty double y\nproperty double z\nelement face " + m
                + "\nproperty list uchar int vertex_indices\nend_header\n";
        if (encoding == PlyEncoding.ASCII) {
            Writer w = writer(out);
            w.write(header);
            for (int i = 0; i < n; i++) {
                w.write(mesh.vertex(i, 0) + " " + mesh.vertex(i, 1) + " " + mesh.vertex(i, 2) + "\n");
            }
            for (int t = 0; t < m; t++) {
                w.write("3 " + mesh.corner(t, 0) + " " + mesh.corner(t, 1) + " " + mesh.corner(t, 2) + "\n");
            }
            w.flush();
        } else {
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer b = ByteBuffer.allocate(24 * n + 13 * m).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                b.putDouble(mesh.vertex(i, 0)).putDouble(mesh.vertex(i, 1)).putDouble(mesh.vertex(i, 2));
            }
            for (int t = 0; t < m; t++) {
                b.put((byte) 3).putInt(mesh.corner(t, 0)).putInt(mesh.corner(t, 1)).putInt(mesh.corner(t, 2));
            }
            out.write(b.array());
            out.flush();
        }
    }

    private static Writer writer(OutputStream out) {
        Require.nonNull(out, "out");
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
    }
}
