package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.at;
import static org.gwembed.cli.CliRunner.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables of {@code embed} as CSV, {@code .npy} and {@code result.npz} hold the same numbers. */
class OutputFilesTest {

    @TempDir
    Path dir;

    private Path embed(String name, String... more) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("embed", "--source", "gen:s-curve:40", "--target",
                "gen:swiss-roll-hole:40", "--space", "plane:6", "--outer-iterations", "2", "--threads", "1",
                "--quiet", "--out", out.toString()));
        args.addAll(List.of(more));
        CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, o.code(), o::toString);
        return out;
    }

    /** An SVG document drawn as vector shapes, not one embedded bitmap. */
    static void assertVectorSvg(Path file, int shapes) throws IOException {
        String svg = Files.readString(file);
        assertTrue(svg.contains("<svg") && svg.contains("</svg>"), file + ": an SVG document");
        assertTrue(svg.split("<path|<ellipse|<circle", -1).length > shapes, "drawn as vector shapes, not one image: "
                + svg.substring(0, Math.min(2000, svg.length())));
        assertFalse(svg.contains("<image"), file + ": no embedded bitmap");
    }

    /** {@code align --svg} writes the projections (and JMDS's embedding) also as vector SVG. */
    @Test
    void alignWritesItsPicturesAsSvg() throws Exception {
        Path files = Path.of(java.util.Objects.requireNonNull(getClass().getResource("/bad-inputs/files")).toURI());
        Path out = dir.resolve("align");
        CliRunner.Outcome o = CliRunner.run("align", "--x", files.resolve("feat-ok.csv").toString(), "--y",
                files.resolve("feat-ok2.csv").toString(), "--labels-x", files.resolve("labels-ok.txt").toString(),
                "--labels-y", files.resolve("labels-ok.txt").toString(), "--method", "both", "--graph", "euclidean",
                "--k", "3", "--lambda", "1", "--grid", "4", "--outer-iterations", "1", "--jmds-iterations", "2",
                "--validation-fraction", "0.25", "--threads", "1", "-q", "--svg", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        assertVectorSvg(out.resolve("projections.svg"), 24); // 12 cells on each side
        assertVectorSvg(out.resolve("jmds_projections.svg"), 24);
        List<Object> listed = MiniJson.array(at(json(out.resolve("report.json")), "files"));
        assertTrue(listed.contains("projections.svg") && listed.contains("jmds_projections.svg"), listed::toString);
    }

    @Test
    void npyAndNpzEqualTheCsvTables() throws IOException {
        Path out = embed("both", "--npz", "--save-plans", "--svg");
        assertVectorSvg(out.resolve("embeddings.svg"), 50);
        assertVectorSvg(out.resolve("projections.svg"), 50);
        Map<String, Object> report = json(out.resolve("result.json"));
        List<Object> files = MiniJson.array(at(report, "files"));
        int n1 = (int) CliRunner.number(report, "source", "points");
        for (String f : List.of("zeta1.csv", "zeta2.csv", "zeta1.npy", "zeta2.npy", "grid.npy", "projection1.csv",
                "projection2.csv", "projection1.npy", "projection2.npy", "p1.npy", "p2.npy", "result.npz", "embeddings.svg",
                "projections.svg")) {
            assertTrue(files.contains(f), f + " listed in result.json: " + files);
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " written");
        }
        Map<String, DMatrixRMaj> npz = readNpz(out.resolve("result.npz"));
        assertEquals(List.of("zeta1.npy", "zeta2.npy", "grid.npy", "projection1.npy", "projection2.npy", "p1.npy",
                "p2.npy"), List.copyOf(npz.keySet()));
        for (int k = 1; k <= 2; k++) {
            DMatrixRMaj csv = Tables.read(out.resolve("zeta" + k + ".csv")).values();
            double[] weights = column(csv, 2);
            DMatrixRMaj npy = Tables.readNpy(out.resolve("zeta" + k + ".npy")).values();
            assertArrayEquals(weights, npy.data, "zeta" + k + ".npy = the CSV's weights, in grid order");
            assertArrayEquals(weights, npz.get("zeta" + k + ".npy").data);
            DMatrixRMaj grid = Tables.readNpy(out.resolve("grid.npy")).values();
            assertEquals(36, grid.numRows);
            assertEquals(2, grid.numCols);
            assertArrayEquals(column(csv, 0), column(grid, 0), "grid.npy = the CSV's coordinates");
            assertArrayEquals(column(csv, 1), column(grid, 1));
            assertTrue(MatrixFeatures_DDRM.isIdentical(grid, npz.get("grid.npy"), 0));
            DMatrixRMaj pc = Tables.read(out.resolve("projection" + k + ".csv")).values();
            DMatrixRMaj pn = Tables.readNpy(out.resolve("projection" + k + ".npy")).values();
            assertEquals(k == 1 ? n1 : (int) CliRunner.number(report, "target", "points"), pn.numRows);
            assertTrue(MatrixFeatures_DDRM.isIdentical(pc, pn, 0), "projection" + k + ".npy = its CSV");
            assertTrue(MatrixFeatures_DDRM.isIdentical(pn, npz.get("projection" + k + ".npy"), 0));
            DMatrixRMaj plan = Tables.readNpy(out.resolve("p" + k + ".npy")).values();
            assertTrue(MatrixFeatures_DDRM.isIdentical(plan, npz.get("p" + k + ".npy"), 0));
        }
        assertEquals(n1, npz.get("p1.npy").numRows);
        assertEquals(36, npz.get("p1.npy").numCols);
    }

    @Test
    void oneFormatLeavesTheOtherOut() throws IOException {
        Path csv = embed("csv", "--output-format", "csv");
        assertTrue(Files.isRegularFile(csv.resolve("zeta1.csv")));
        assertFalse(Files.exists(csv.resolve("zeta1.npy")));
        assertFalse(Files.exists(csv.resolve("grid.npy")));
        assertFalse(Files.exists(csv.resolve("result.npz")), "no bundle unless asked");
        Path npy = embed("npy", "--output-format", "NPY");
        assertTrue(Files.isRegularFile(npy.resolve("zeta1.npy")));
        assertTrue(Files.isRegularFile(npy.resolve("projection2.npy")));
        assertFalse(Files.exists(npy.resolve("zeta1.csv")));
        assertFalse(MiniJson.array(at(json(npy.resolve("result.json")), "files")).contains("zeta1.csv"));
        String err = CliRunner.assertBadInput(CliRunner.run("embed", "--source", "gen:s-curve:40", "--target",
                "gen:s-curve:40", "--output-format", "parquet", "--out", dir.resolve("bad").toString()));
        assertTrue(err.contains("--output-format"), err);
    }

    /** numpy itself reads the files (skipped without /usr/bin/python3 and numpy). */
    @Test
    void numpyLoadsTheNpyFilesAndTheBundle() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Python.hasNumpy(), Python.SKIP_MESSAGE);
        Path out = embed("numpy", "--npz", "--save-plans");
        String script = String.join("\n",
                "import sys, json, numpy as np",
                "d = sys.argv[1]",
                "z1 = np.load(d + '/zeta1.npy')",
                "csv = np.loadtxt(d + '/zeta1.csv', delimiter=',', skiprows=1)",
                "assert z1.shape == (36,), z1.shape",
                "assert np.array_equal(z1, csv[:, 2])",
                "assert np.array_equal(np.load(d + '/grid.npy'), csv[:, :2])",
                "b = np.load(d + '/result.npz')",
                "assert sorted(b.files) == sorted(['zeta1', 'zeta2', 'grid', 'projection1', 'projection2', 'p1',"
                        + " 'p2']), b.files",
                "assert np.array_equal(b['zeta2'], np.load(d + '/zeta2.npy'))",
                "assert np.array_equal(b['projection1'], np.load(d + '/projection1.npy'))",
                "n1 = json.load(open(d + '/result.json'))['source']['points']",
                "assert b['p1'].shape == (n1, 36), b['p1'].shape",
                "assert abs(b['p1'].sum() - 1) < 1e-6",
                "files = json.load(open(d + '/result.json'))['files']",
                "assert 'result.npz' in files",
                "print('ok')", "");
        Python.Result r = Python.run(List.of("-c", script, out.toString()), dir, Map.of(), 60);
        assertEquals(0, r.code(), r::toString);
        assertEquals("ok", r.out().strip(), r::toString);
    }

    static Map<String, DMatrixRMaj> readNpz(Path file) throws IOException {
        Map<String, DMatrixRMaj> m = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            int k = 0;
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path member = file.resolveSibling("member" + k++ + ".npy");
                Files.write(member, zip.readAllBytes());
                m.put(e.getName(), Tables.readNpy(member).values());
                Files.delete(member);
            }
        }
        return m;
    }

    private static double[] column(DMatrixRMaj m, int c) {
        double[] v = new double[m.numRows];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, c);
        }
        return v;
    }

    /** Runs {@code /usr/bin/python3} when it has numpy. */
    static final class Python {
        static final String EXE = "/usr/bin/python3";
        static final String SKIP_MESSAGE = "skipped: needs " + EXE + " with numpy (python3 -c 'import numpy')";
        private static Boolean numpy;

        record Result(int code, String out) {
        }

        static synchronized boolean hasNumpy() {
            if (numpy == null) {
                try {
                    numpy = Files.isExecutable(Path.of(EXE))
                            && run(List.of("-c", "import numpy"), Path.of("."), Map.of(), 30).code() == 0;
                } catch (IOException | InterruptedException e) {
                    numpy = false;
                }
                if (!numpy) {
                    System.err.println("OutputFilesTest: " + SKIP_MESSAGE);
                }
            }
            return numpy;
        }

        static Result run(List<String> args, Path workDir, Map<String, String> env, int timeoutSeconds)
                throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(EXE));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }
}
