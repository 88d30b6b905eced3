package org.gwembed.cli;

import static org.gwembed.cli.CliRunner.assertBadInput;
import static org.gwembed.cli.CliRunner.assertPicture;
import static org.gwembed.cli.CliRunner.at;
import static org.gwembed.cli.CliRunner.json;
import static org.gwembed.cli.CliRunner.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignCommandTest {

    private static final int CELLS = 60;

    @TempDir
    Path dir;

    @Test
    void theFastSettingsAreChosenAndReported() throws IOException {
        Path[] f = writeCoAssay(CELLS);
        Path out = dir.resolve("align-fast");
        CliRunner.Outcome o = CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--labels-x",
                f[2].toString(), "--labels-y", f[3].toString(), "--method", "ewl", "--k", "5", "--grid", "6",
                "--graph", "euclidean", "--lambda", "1", "--outer-iterations", "3", "--precision", "single",
                "--warm-start", "--over-relaxation", "--quiet", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        assertEquals("single", at(r, "protocol", "precision"));
        assertEquals(true, at(r, "protocol", "warm_start"));
        assertEquals(1.9, number(r, "protocol", "inner_relaxation"));
        assertEquals(true, at(r, "protocol", "inner_relaxation_adaptive"));
        double v = number(r, "foscttm", "symmetric");
        assertTrue(v >= 0 && v <= 1, "FOSCTTM " + v);
    }

    @Test
    void syntheticCoAssayGivesTheReportKeysAndAPicture() throws IOException {
        Path[] f = writeCoAssay(CELLS);
        Path out = dir.resolve("align");
        CliRunner.Outcome o = CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--labels-x",
                f[2].toString(), "--labels-y", f[3].toString(), "--method", "ewl", "--k", "5", "--grid", "6",
                "--lambda", "0.1,1", "--outer-iterations", "3", "--threads", "1", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        for (String key : List.of("one_directional", "reverse", "symmetric")) {
            double v = number(r, "foscttm", key);
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        for (String key : List.of("x_from_y", "y_from_x")) {
            double v = number(r, "knn_accuracy", key);
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        Map<String, Object> ewl = MiniJson.object(at(r, "methods", "ewl"));
        assertEquals(8, MiniJson.array(ewl.get("candidates")).size(), "2 lambdas x 2 starts x 2 read-outs");
        assertTrue(List.of(0.1, 1.0).contains(number(ewl, "chosen", "lambda")));
        assertEquals("scot", at(ewl, "chosen", "graph"));
        assertTrue(List.of("grid", "features").contains(at(ewl, "chosen", "readout")));
        if (at(ewl, "chosen", "readout").equals("features")) {
            assertEquals(7, Tables.readNpy(out.resolve("aligned_x.npy")).values().numCols, "3 + 4 features");
        }
        number(ewl, "all_cells", "foscttm", "symmetric");
        Map<String, Object> cand = MiniJson.object(MiniJson.array(ewl.get("candidates")).get(0));
        number(cand, "validation_foscttm", "symmetric");
        number(cand, "test_foscttm", "one_directional");
        number(cand, "test_knn_accuracy", "x_from_y");
        assertTrue(number(r, "times", "total_seconds") > 0);
        assertEquals("double", at(r, "protocol", "precision"), "double precision unless asked");
        assertEquals(1.9, number(r, "protocol", "inner_relaxation"), "over-relaxed inner solves by default");
        assertEquals(false, at(r, "protocol", "exact_reference"));
        assertPicture(out.resolve("projections.png"));
        assertEquals(CELLS + 1, Files.readAllLines(out.resolve("projection_x.csv")).size());
        for (String side : List.of("x", "y")) {
            DMatrixRMaj csv = Tables.read(out.resolve("projection_" + side + ".csv")).values();
            DMatrixRMaj npy = Tables.readNpy(out.resolve("projection_" + side + ".npy")).values();
            assertTrue(org.ejml.dense.row.MatrixFeatures_DDRM.isIdentical(csv, npy, 1e-12),
                    "projection_" + side + ".npy = its CSV");
        }
        assertTrue(o.out().contains("FOSCTTM-sym") && o.out().contains("EW_l"), o::toString);
    }

    @Test
    void thePaperProtocolKeepsThePapersGrid() throws IOException {
        Path[] f = writeCoAssay(CELLS);
        Path out = dir.resolve("paper");
        CliRunner.Outcome o = CliRunner.run("align", "--protocol", "paper", "--x", f[0].toString(), "--y",
                f[1].toString(), "--labels-x", f[2].toString(), "--labels-y", f[3].toString(), "--k", "5", "--grid",
                "6", "--lambda", "0.1,1", "--outer-iterations", "3", "--threads", "1", "--quiet", "--out",
                out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        Map<String, Object> ewl = MiniJson.object(at(r, "methods", "ewl"));
        assertEquals(4, MiniJson.array(ewl.get("candidates")).size(), "2 graphs x 2 lambdas");
        assertTrue(List.of("euclidean", "scot").contains(at(ewl, "chosen", "graph")));
        assertEquals("grid", at(ewl, "chosen", "readout"));
        assertEquals(false, at(r, "protocol", "warm_start"), "the reference's cold inner starts");
        assertEquals(1.0, number(r, "protocol", "starts"));
    }

    @Test
    void bothMethodsReportEwlAndJmdsOnTheSameSplit() throws IOException {
        Path[] f = writeCoAssay(CELLS);
        Path out = dir.resolve("both");
        CliRunner.Outcome o = CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--labels-x",
                f[2].toString(), "--labels-y", f[3].toString(), "--method", "both", "--k", "5", "--grid", "6",
                "--lambda", "1", "--graph", "euclidean", "--outer-iterations", "3", "--jmds-iterations", "5",
                "--threads", "1", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        Map<String, Object> jmds = MiniJson.object(at(r, "methods", "jmds"));
        double sym = number(jmds, "foscttm", "symmetric");
        assertTrue(sym >= 0 && sym <= 1, "jmds symmetric FOSCTTM " + sym);
        number(jmds, "knn_accuracy", "x_from_y");
        assertEquals("euclidean", at(jmds, "chosen", "graph"));
        number(r, "methods", "ewl", "foscttm", "symmetric");
        assertPicture(out.resolve("jmds_projections.png"));
        assertTrue(o.out().contains("JMDS") && o.out().contains("EW_l"), o::toString);

        Path only = dir.resolve("jmds");
        o = CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--labels-x", f[2].toString(),
                "--labels-y", f[3].toString(), "--method", "jmds", "--k", "5", "--graph", "scot",
                "--jmds-iterations", "5", "--out", only.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> rj = json(only.resolve("report.json"));
        number(rj, "foscttm", "symmetric");
        assertTrue(!MiniJson.object(rj.get("methods")).containsKey("ewl"), "jmds only must not run EW_lambda");
    }

    @Test
    void badInputIsRefusedWithOneLine() throws IOException {
        Path[] f = writeCoAssay(CELLS);
        Path shortLabels = dir.resolve("short.txt");
        Files.write(shortLabels, List.of("1", "2", "3"));
        Path fewerRows = dir.resolve("fewer.csv");
        Tables.writeCsv(fewerRows, firstRows(Tables.read(f[1]).values(), CELLS - 5), List.of());
        String out = dir.resolve("o").toString();
        String line = assertBadInput(CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(),
                "--labels-x", shortLabels.toString(), "--labels-y", f[3].toString(), "--out", out));
        assertTrue(line.contains("3 labels"), line);
        line = assertBadInput(CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--method",
                "jmds", "--jmds-iterations", "0", "--out", out));
        assertTrue(line.contains("--jmds-iterations"), line);
        assertBadInput(CliRunner.run("align", "--x", f[0].toString(), "--y", fewerRows.toString(), "--out", out));
        assertBadInput(CliRunner.run("align", "--x", dir.resolve("none.csv").toString(), "--y", f[1].toString(),
                "--out", out));
        assertBadInput(CliRunner.run("align", "--dataset", "pbmc", "--data-dir", dir.toString(), "--out", out));
        assertBadInput(CliRunner.run("align", "--dataset", "scgem", "--data-dir", dir.resolve("nowhere").toString(),
                "--out", out));
        assertBadInput(CliRunner.run("align", "--x", f[0].toString(), "--out", out));
        assertBadInput(CliRunner.run("align", "--x", f[0].toString(), "--y", f[1].toString(), "--epsilon", "0",
                "--out", out));
    }

    @Test
    void scgemFromTheSharedData() throws IOException {
        Path data = AlignCommand.defaultDataDir();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("scgem")),
                "skipped: the shared data directory " + data.toAbsolutePath() + " (scgem/) is absent");
        Path out = dir.resolve("scgem");
        CliRunner.Outcome o = CliRunner.run("align", "--dataset", "scgem", "--data-dir", data.toString(), "--graph",
                "scot", "--lambda", "1", "--grid", "10", "--outer-iterations", "3", "--out", out.toString());
        assertEquals(0, o.code(), o::toString);
        Map<String, Object> r = json(out.resolve("report.json"));
        assertEquals(177.0, number(r, "inputs", "cells"));
        number(r, "foscttm", "symmetric");
        number(r, "knn_accuracy", "x_from_y");
        assertPicture(out.resolve("projections.png"));
    }

    private static DMatrixRMaj firstRows(DMatrixRMaj m, int rows) {
        DMatrixRMaj out = new DMatrixRMaj(rows, m.numCols);
        System.arraycopy(m.data, 0, out.data, 0, rows * m.numCols);
        return out;
    }

    /** Two smooth views of one curve (3 and 4 features) and labels by curve segment. */
    private Path[] writeCoAssay(int n) {
        SplittableRandom rng = new SplittableRandom(7);
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        DMatrixRMaj y = new DMatrixRMaj(n, 4);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            x.set(i, 0, Math.cos(3 * t) + 0.01 * rng.nextGaussian());
            x.set(i, 1, Math.sin(3 * t) + 0.01 * rng.nextGaussian());
            x.set(i, 2, t);
            y.set(i, 0, t * t);
            y.set(i, 1, 2 * t + 0.01 * rng.nextGaussian());
            y.set(i, 2, Math.exp(t));
            y.set(i, 3, 0.3 * Math.sin(5 * t));
            labels.add(Integer.toString(1 + Math.min(2, (int) (3 * t))));
        }
        Path fx = dir.resolve("x.csv");
        Path fy = dir.resolve("y.npy");
        Tables.writeCsv(fx, x, List.of());
        Tables.writeNpy(fy, y);
        Path lx = dir.resolve("lx.txt");
        Path ly = dir.resolve("ly.txt");
        try {
            Files.write(lx, labels);
            Files.write(ly, labels);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Path[] {fx, fy, lx, ly};
    }
}
