package org.gwembed.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark in local[2,3] (2 threads, 3 attempts per task), bound to the loopback address: a few seconds. */
class SparkEngineTest {

    private static SparkEngine spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = new SparkEngine("local[2,3]", 3);
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    @Test
    void sparkAndTheLocalEngineGiveTheSameMatrix() throws IOException {
        List<Member> members = Member.scan(TestCollections.write(dir.resolve("in"), 8, 8, 21), Set.of("labels.csv"));
        PairwiseJob job = new PairwiseJob(members, PairSpec.gw());
        PairwiseJob.Result local;
        try (Engine e = new LocalEngine(2)) {
            local = job.run(e, dir.resolve("local"), false, BatchListener.NONE);
        }
        List<long[]> progress = new ArrayList<>();
        PairwiseJob.Result distributed = job.run(spark, dir.resolve("spark"), false,
                (done, total, s) -> progress.add(new long[] {done, total}));
        assertEquals("spark", distributed.engine());
        assertArrayEquals(local.matrix().data, distributed.matrix().data, 0.0);
        assertEquals(job.tasks().size(), progress.get(progress.size() - 1)[0]);
        // one part file per Spark task: the work was spread over partitions
        try (var s = Files.list(dir.resolve("spark/log"))) {
            assertTrue(s.count() > 1);
        }
    }

    /** Spark SQL's first use costs several seconds: tagged slow. */
    @Test
    @Tag("slow")
    void theParquetTableHoldsEveryPairAndReplacesAnOlderOneAtomically() throws IOException {
        List<Member> members = Member.scan(TestCollections.write(dir.resolve("in"), 5, 8, 21), Set.of("labels.csv"));
        PairwiseJob job = new PairwiseJob(members, PairSpec.gw());
        PairwiseJob.Result local;
        try (Engine e = new LocalEngine(2)) {
            local = job.run(e, dir.resolve("local"), false, BatchListener.NONE);
        }
        Path table = dir.resolve("results.parquet");
        job.writeParquet(spark, table, local);
        job.writeParquet(spark, table, local);
        try (var s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().contains(".tmp-")
                    || p.getFileName().toString().contains(".old-")).count());
        }
        List<Row> rows = spark.readParquet(table);
        assertEquals(job.tasks().size(), rows.size());
        for (Row row : rows) {
            int i = row.getInt(row.fieldIndex("i"));
            int j = row.getInt(row.fieldIndex("j"));
            if (i != j) {
                assertEquals(local.matrix().get(i, j), row.getDouble(row.fieldIndex("value")), 0.0);
            }
        }
    }

    @Test
    void aFailedSparkTaskIsRetriedAndTheRetrySkipsWhatItsFirstAttemptLogged() {
        List<PairTask> tasks = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            tasks.add(new PairTask(k, k + 1, 1 + k));
        }
        // every task's first attempt logs its first pair, then dies
        TaskFunction<PairTask> flaky = new FailFirstAttempt();
        BatchJob<PairTask> job = new BatchJob<>("retry test", tasks, flaky);
        BatchJob.Outcome outcome = job.run(spark, dir.resolve("retry"), false, BatchListener.NONE);
        assertEquals(12, outcome.lines().size());
        for (Map.Entry<String, String> e : outcome.lines().entrySet()) {
            assertEquals(e.getKey() + ",done", e.getValue());
        }
        // the first attempts died: their part files hold one line each; the retries did not repeat those lines
        assertEquals(12, new ResultLog(dir.resolve("retry/log")).countLines());
    }

    /** Logs normally, except that a Spark task's first attempt throws after its first pair. */
    private static final class FailFirstAttempt implements TaskFunction<PairTask> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, Integer> CALLS = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String apply(PairTask task) {
            TaskContext tc = TaskContext.get();
            if (tc.attemptNumber() == 0) {
                String part = String.valueOf(tc.partitionId());
                if (CALLS.merge(part, 1, Integer::sum) > 1) {
                    throw new IllegalStateException("injected failure in partition " + part);
                }
            }
            return task.key() + ",done";
        }
    }
}
