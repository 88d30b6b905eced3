package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepJobTest {

    @TempDir
    Path dir;

    @Test
    void everyPointIsTheSingleEmbeddingRunWithItsSettings() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 2, 10, 9);
        String a = in.resolve("m00.npy").toString();
        String b = in.resolve("m01.npy").toString();
        SweepJob job = new SweepJob(new SweepJob.Settings(a, b, "plane", List.of(1.0, 10.0), List.of(0.05),
                List.of(3, 4), List.of(0L, 2L), 8, false));
        List<SweepJob.Row> rows;
        try (Engine e = new LocalEngine(2)) {
            rows = job.run(e, dir.resolve("out"), false, BatchListener.NONE);
        }
        assertEquals(8, rows.size());
        for (SweepJob.Row row : rows) {
            SweepTask t = row.task();
            JointEmbedding.Options o = JointEmbedding.Options.defaults(t.lambda(), t.epsilon()).withThreads(1)
                    .withOuterIterations(8);
            if (t.seed() > 0) {
                o = o.withRestarts(1, SweepJob.PERTURBATION, t.seed());
            }
            EmbeddingResult r = JointEmbedding.embed(SweepJob.read(a), SweepJob.read(b),
                    EmbeddingSpaces.parse("plane:" + t.grid()), o);
            assertTrue(row.ok(), row.reason());
            assertEquals(r.objective().total(), row.j(), 0.0, t.key());
            assertEquals(r.objective().gw1(), row.gw1(), 0.0);
            assertEquals(r.outerIterations(), row.iterations());
            assertTrue(Double.isNaN(row.foscttm()));
        }
    }

    @Test
    void pairedInputsGetAFoscttmAndAnInputEmbeddedWithItselfIsAlignedBetterThanChance() throws IOException {
        Path in = TestCollections.write(dir.resolve("in"), 1, 12, 9);
        String a = in.resolve("m00.npy").toString();
        SweepJob job = new SweepJob(new SweepJob.Settings(a, a, "plane", List.of(10.0), List.of(0.01), List.of(5),
                List.of(0L), 20, true));
        List<SweepJob.Row> rows;
        try (Engine e = new LocalEngine(1)) {
            rows = job.run(e, dir.resolve("out"), false, BatchListener.NONE);
        }
        double f = rows.get(0).foscttm();
        // FOSCTTM is 0.5 for unrelated embeddings; a space with itself lands far below
        assertTrue(f >= 0 && f < 0.3, "FOSCTTM " + f);
    }
}
