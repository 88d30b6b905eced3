package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.CollectionMetrics;
import org.gwembed.metricspaces.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BatchMain.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertBadInput(Run r, String word) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(word), r.err());
    }

    @Test
    void pairwiseWritesTheMatrixTablesPicturesAndMetrics() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 6, 8, 4);
        Path out = dir.resolve("out");
        Run r = run("pairwise", "--inputs", in.toString(), "--out", out.toString(), "--threads", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"matrix.npy", "pairs.csv", "summary.json", "heatmap.png", "mds.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String summary = Files.readString(out.resolve("summary.json"), StandardCharsets.UTF_8);
        DMatrixRMaj d = PairwiseCommand.dissimilarities(Tables.readNpy(out.resolve("matrix.npy")).values());
        int[] labels = {0, 1, 0, 1, 0, 1};
        assertTrue(summary.contains("\"nearest_neighbour_accuracy\": "
                + CollectionMetrics.nearestNeighbourAccuracy(d, labels) + ","), summary);
        assertTrue(summary.contains("\"silhouette\": " + CollectionMetrics.silhouette(d, labels) + ","), summary);
        assertTrue(r.out().contains("6 members, 15 pairs (0 bad, 0 resumed)"), r.out());
        assertEquals("", r.err());
        // the same --out again without --resume
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", out.toString()), "--resume");
    }

    @Test
    void badArgumentsExitWithCode2AndOneLine() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 3, 8, 4);
        String o = dir.resolve("o").toString();
        assertBadInput(run("pairwise", "--out", o), "--inputs");
        assertBadInput(run("pairwise", "--inputs", dir.resolve("none").toString(), "--out", o), "--inputs");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "fgw"), "--method");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "entropic-gw"),
                "--epsilon");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "partial-gw", "--mass",
                "2"), "--mass");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "fused-gw", "--alpha",
                "1.5"), "--alpha");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "fused-gw", "--alpha",
                "-0.1"), "--alpha");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--alpha", "0.5"), "--alpha");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--method", "entropic-fused-gw"),
                "--epsilon");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--engine", "hadoop"), "--engine");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--engine", "spark", "--threads",
                "2"), "--threads");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--threads", "0"), "--threads");
        assertBadInput(run("pairwise", "--inputs", in.toString(), "--out", o, "--labels",
                dir.resolve("nolabels.csv").toString()), "--labels");
        assertBadInput(run("sweep", "--source", in.resolve("m00.npy").toString(), "--target",
                in.resolve("m01.npy").toString(), "--lambda", "1,-1", "--epsilon", "0.1", "--out", o), "--lambda");
        Files.writeString(dir.resolve("two.csv"), "0,1\n1,0\n", StandardCharsets.UTF_8);
        assertBadInput(run("sweep", "--source", in.resolve("m00.npy").toString(), "--target",
                dir.resolve("two.csv").toString(), "--lambda", "1", "--epsilon", "0.1", "--paired", "--out", o),
                "--paired");
        assertBadInput(run("nothing"), "nothing");
        assertBadInput(run(), "missing command");
    }

    @Test
    void pairwiseFusedGwReadsTheFeatureTablesBesideTheMembers() throws IOException {
        Path in = TestCollections.writeFeatures(TestCollections.write(dir.resolve("in"), 3, 8, 4), 3, 2, 9);
        Path out = dir.resolve("out");
        Run r = run("pairwise", "--inputs", in.toString(), "--out", out.toString(), "--method", "fused-gw",
                "--alpha", "0.3", "--threads", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 members, 3 pairs (0 bad, 0 resumed) by fused-gw"), r.out());
        List<Member> members = Member.scan(in, Set.of("labels.csv"));
        PairwiseJob.Result direct;
        try (Engine e = new LocalEngine(1)) {
            direct = new PairwiseJob(members, PairSpec.fusedGw(0.3)).run(e, dir.resolve("direct"), false,
                    BatchListener.NONE);
        }
        assertArrayEquals(direct.matrix().data, Tables.readNpy(out.resolve("matrix.npy")).values().data, 0.0);
        assertTrue(Files.readString(out.resolve("summary.json")).contains("alpha 0.3"));
    }

    @Test
    void sweepWritesItsTable() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 2, 10, 4);
        Path out = dir.resolve("out");
        Run r = run("sweep", "--source", in.resolve("m00.npy").toString(), "--target",
                in.resolve("m00.npy").toString(), "--lambda", "1,10", "--epsilon", "0.05", "--grid", "4",
                "--seeds", "0,3", "--paired", "--outer-iterations", "10", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + 4, Files.readAllLines(out.resolve("sweep.csv")).size());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("best_foscttm"));
    }
}
