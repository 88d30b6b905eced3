package org.gwembed.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gwembed.core.Require;

/**
 * The Spark engine: the tasks in {@link #PARTITIONS_PER_CORE}{@code ×} parallelism partitions balanced by their
 * cost ({@link Partitioning}), one Spark task per partition; each Spark task appends its lines to its own part of
 * the {@link ResultLog} as its tasks finish. A failed Spark task is retried by Spark ({@code spark.task.maxFailures},
 * or the {@code F} of a {@code local[N,F]} master); a retry skips the tasks its failed attempt already logged.
 *
 * <p>Inputs are never collected on the driver: a task function reads its members from their (shared) paths. The
 * driver binds to the loopback address and runs without the web UI unless the master is a cluster URL and
 * {@code spark.driver.host} is given in the environment ({@code SPARK_DRIVER_HOST}).
 */
public final class SparkEngine implements Engine {

    /** Partitions per core: enough that a slow partition does not leave the other cores idle for long. */
    public static final int PARTITIONS_PER_CORE = 3;

    private static final long POLL_MILLIS = 1000;

    private final SparkSession session;
    private final JavaSparkContext context;
    private final String master;

    /**
     * Starts (or joins) a Spark session.
     *
     * @param master      {@code local[*]}, {@code local[N]}, {@code local[N,F]} (F attempts per task) or a cluster URL
     * @param maxFailures attempts per task on a cluster ({@code spark.task.maxFailures}; local masters use F)
     */
    public SparkEngine(String master, int maxFailures) {
        Require.nonNull(master, "master");
        Require.atLeast(maxFailures, 1, "maxFailures");
        this.master = master;
        String host = System.getenv().getOrDefault("SPARK_DRIVER_HOST", "127.0.0.1");
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName("gwembed-batch")
                .set("spark.driver.bindAddress", host.equals("127.0.0.1") ? "127.0.0.1" : "0.0.0.0")
                .set("spark.driver.host", host)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.task.maxFailures", String.valueOf(maxFailures))
                .set("spark.sql.shuffle.partitions", "4")
                .set("spark.sql.parquet.compression.codec", "uncompressed");
        this.session = SparkSession.builder().config(conf).getOrCreate();
        this.context = JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    @Override
    public String name() {
        return "spark";
    }

    /** The master URL. */
    public String master() {
        return master;
    }

    @Override
    public int parallelism() {
        return context.defaultParallelism();
    }

    @Override
    public <T extends Task> void run(List<T> tasks, TaskFunction<T> work, ResultLog log, long alreadyDone,
            BatchListener listener) {
        long start = System.nanoTime();
        long total = alreadyDone + tasks.size();
        if (tasks.isEmpty()) {
            listener.progress(alreadyDone, total, 0);
            return;
        }
        listener.progress(alreadyDone, total, 0);
        List<List<T>> bins = new ArrayList<>(Partitioning.balance(tasks, PARTITIONS_PER_CORE * parallelism()));
        // the largest partitions first, so that the last wave holds the small ones
        long[] loads = Partitioning.loads(bins);
        List<Integer> order = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            order.add(b);
        }
        order.sort(Comparator.comparingLong((Integer b) -> -loads[b]));
        List<List<T>> sorted = new ArrayList<>();
        for (int b : order) {
            sorted.add(bins.get(b));
        }
        long linesBefore = log.countLines();
        Thread poller = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(POLL_MILLIS);
                    long d = Math.min(tasks.size(), log.countLines() - linesBefore);
                    listener.progress(alreadyDone + d, total, (System.nanoTime() - start) / 1e9);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "gwembed-batch-progress");
        poller.setDaemon(true);
        poller.start();
        try {
            context.parallelize(sorted, sorted.size()).foreachPartition(it -> runPartition(it, work, log));
        } finally {
            poller.interrupt();
        }
        listener.progress(total, total, (System.nanoTime() - start) / 1e9);
    }

    /** On an executor: the partition's tasks, each line appended as it is finished. */
    private static <T extends Task> void runPartition(Iterator<List<T>> it, TaskFunction<T> work, ResultLog log) {
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        Map<String, String> done = attempt > 0 ? log.read() : Map.of();
        try (ResultLog.Writer writer = log.open("spark-p" + (tc == null ? 0 : tc.partitionId()) + "-a" + attempt)) {
            while (it.hasNext()) {
                for (T task : it.next()) {
                    if (!done.containsKey(task.key())) {
                        writer.append(work.apply(task));
                    }
                }
            }
        }
    }

    /** A column of {@link #writeParquet}: its name and Spark type. */
    public record Column(String name, DataType type) {
        /** An integer column. */
        public static Column integer(String name) {
            return new Column(name, DataTypes.IntegerType);
        }

        /** A double column. */
        public static Column real(String name) {
            return new Column(name, DataTypes.DoubleType);
        }

        /** A string column. */
        public static Column text(String name) {
            return new Column(name, DataTypes.StringType);
        }

        /** A boolean column. */
        public static Column bool(String name) {
            return new Column(name, DataTypes.BooleanType);
        }
    }

    /**
     * Writes a results table as Parquet to the folder {@code target}, atomically: Spark writes a fresh folder beside
     * it, which is then renamed into place (an older table is moved aside first and removed after).
     */
    public void writeParquet(Path target, List<Column> columns, List<Object[]> rows) {
        List<StructField> fields = new ArrayList<>();
        for (Column c : columns) {
            fields.add(DataTypes.createStructField(c.name(), c.type(), true));
        }
        StructType schema = DataTypes.createStructType(fields);
        List<Row> data = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            data.add(RowFactory.create(r));
        }
        Path abs = target.toAbsolutePath();
        Path fresh = abs.resolveSibling(abs.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        Dataset<Row> frame = session.createDataFrame(data, schema).coalesce(1);
        frame.write().mode(SaveMode.ErrorIfExists).parquet(fresh.toUri().toString());
        try {
            Path old = null;
            if (Files.exists(abs)) {
                old = abs.resolveSibling(abs.getFileName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, abs, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the Parquet table into " + abs + ": " + e.getMessage(), e);
        }
    }

    /** Reads a Parquet table back (for checks): its rows in file order. */
    public List<Row> readParquet(Path table) {
        return session.read().parquet(table.toAbsolutePath().toUri().toString()).collectAsList();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        session.stop();
    }
}
