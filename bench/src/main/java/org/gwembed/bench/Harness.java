package org.gwembed.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gwembed.core.Parallel;
import org.gwembed.solvers.DenseBlas;

/**
 * The end-to-end benchmark harness (issue 7): runs the {@link Scenario}s at the mode's {@link Sizes} and writes
 * {@code <out>/<yyyy-MM-dd>.md}, {@code .json} and {@code -scaling.png} ({@link Report}).
 *
 * <pre>
 * mvn -B -q -o package -DskipTests -pl bench -am
 * java -cp bench/target/benchmarks.jar org.gwembed.bench.Harness [--quick | --full] [--out DIR]
 * </pre>
 *
 * <p>{@code --quick} is a smoke test (seconds), the default run is sized for about ten minutes on two cores,
 * {@code --full} uses the full sizes. SNAREseq runs when {@code <shared>/data/snareseq} exists, where
 * {@code <shared>} is the system property {@code gwembed.shared.dir} or {@code ../shared}.
 */
public final class Harness {

    /** How big the problems are. */
    public enum Mode {
        QUICK, DEFAULT, FULL,
        /** Only the scaling study, at the sizes of issue 16 (n up to 8000, N up to 10 000); its own report files. */
        SCALING
    }

    /** The scenarios, in the order they run and appear in the report. */
    static final List<Scenario> SCENARIOS = List.of(new RollsScenario(), new SphereScenario(),
            new GaussianSpaceScenario(), new SnareseqScenario(), new GromovWassersteinScenario(),
            new ScalingScenario());

    private final Mode mode;
    private final Path out;
    private final Path sharedDir;

    Harness(Mode mode, Path out, Path sharedDir) {
        this.mode = mode;
        this.out = out;
        this.sharedDir = sharedDir;
    }

    public static void main(String[] args) {
        Mode mode = Mode.DEFAULT;
        Path out = Path.of("bench", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Mode.QUICK;
                case "--full" -> mode = Mode.FULL;
                case "--scaling" -> mode = Mode.SCALING;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        Path shared = Path.of(System.getProperty("gwembed.shared.dir", "../shared"));
        Path[] files = new Harness(mode, out, shared).run();
        for (Path f : files) {
            System.out.println("wrote " + f);
        }
    }

    private static void usage(String error) {
        String text = "usage: Harness [--quick | --full | --scaling] [--out DIR]   (default out: bench/results)";
        if (error != null) {
            System.err.println(error);
            System.err.println(text);
            System.exit(2);
        }
        System.out.println(text);
    }

    /** Runs every scenario and writes the report; returns the md, json and png paths. */
    Path[] run() {
        System.setProperty("java.awt.headless", "true");
        long start = System.nanoTime();
        String date = LocalDate.now().format(DateTimeFormatter.ISO_LOCAL_DATE);
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Measurements m = new Measurements(Sizes.of(mode), sharedDir);
        for (Scenario s : SCENARIOS) {
            if (mode != Mode.SCALING || s instanceof ScalingScenario) {
                s.run(m);
            }
        }
        double total = (System.nanoTime() - start) * 1e-9;
        try {
            Files.createDirectories(out);
            return new Report(mode, m, environment(m, started, total)).write(out,
                    mode == Mode.SCALING ? date + "-scaling-study" : date);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> environment(Measurements m, String started, double total) {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", started);
        env.put("mode", mode.name().toLowerCase(Locale.ROOT));
        env.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("blas", DenseBlas.describe());
        env.put("threads", Parallel.defaultThreads());
        env.put("cores", rt.availableProcessors());
        env.put("maxHeapMiB", Measurements.mib(rt.maxMemory()));
        env.put("peakHeapMiB", Measurements.mib(m.peakHeap()));
        env.put("totalSeconds", total);
        env.put("rollOuterIterations", m.sizes().rollIterations());
        env.put("rollWarmupIterations", m.sizes().rollWarmupIterations());
        return env;
    }
}
