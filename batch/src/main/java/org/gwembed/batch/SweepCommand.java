package org.gwembed.batch;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.gwembed.cli.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gwembed batch sweep}: one pair over a grid of EW_λ settings. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        header = "One pair over the Cartesian product of lambda, epsilon, grid size and seed (EW_lambda).",
        description = {"EW_lambda of --source and --target (distance matrices, scaled to max 1) at every combination "
                + "of --lambda, --epsilon, --grid (the size parameter of --space's kind, e.g. plane:G) and --seeds "
                + "(0: the uniform start; s > 0: a start perturbed by 10% with seed s).",
            "Writes sweep.csv (J, W, G1, G2, W2(zeta1, zeta2) by exact OT, iterations, stop reason, seconds, and "
                + "FOSCTTM with --paired) and summary.json; log/ as for pairwise (--resume)."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "FILE", required = true, description = "First distance matrix.")
    Path source;

    @Option(names = "--target", paramLabel = "FILE", required = true, description = "Second distance matrix.")
    Path target;

    @Option(names = "--lambda", paramLabel = "L,...", required = true, split = ",", description = "Lambda values.")
    List<Double> lambdas;

    @Option(names = "--epsilon", paramLabel = "E,...", required = true, split = ",", description = "Epsilon values.")
    List<Double> epsilons;

    @Option(names = "--grid", paramLabel = "G,...", defaultValue = "10", split = ",",
            description = "Sizes of the space (plane:G is G x G). Default: ${DEFAULT-VALUE}.")
    List<Integer> grids;

    @Option(names = "--space", paramLabel = "KIND", defaultValue = "plane",
            description = "Kind of the embedding space (plane, sphere, torus, ...). Default: ${DEFAULT-VALUE}.")
    String space;

    @Option(names = "--seeds", paramLabel = "S,...", defaultValue = "0", split = ",",
            description = "Seeds. Default: ${DEFAULT-VALUE}.")
    List<Long> seeds;

    @Option(names = "--outer-iterations", paramLabel = "N",
            description = "Outer iterations per point (default: JointEmbedding's, 50).")
    Integer outerIterations;

    @Option(names = "--paired",
            description = "Point i of --source and of --target are the same sample: report FOSCTTM.")
    boolean paired;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Path out = run.out;
        check(lambdas, "--lambda", v -> v > 0 && Double.isFinite(v));
        check(epsilons, "--epsilon", v -> v > 0 && Double.isFinite(v));
        check(grids, "--grid", v -> v >= 2);
        check(seeds, "--seeds", v -> v >= 0);
        if (outerIterations != null && outerIterations < 1) {
            throw new IllegalArgumentException("--outer-iterations must be >= 1, got " + outerIterations);
        }
        SweepJob job = new SweepJob(new SweepJob.Settings(source.toAbsolutePath().toString(),
                target.toAbsolutePath().toString(), space, lambdas, epsilons, grids, seeds,
                outerIterations == null ? 0 : outerIterations, paired));
        String[] engineName = {null};
        List<SweepJob.Row> rows = run.run(spec.commandLine().getErr(), "points",
                (engine, listener) -> {
                    engineName[0] = engine.name();
                    return job.run(engine, out, run.resume, listener);
                });
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "batch sweep");
        s.put("source", source.toString());
        s.put("target", target.toString());
        s.put("space", space);
        s.put("engine", engineName[0]);
        s.put("points", rows.size());
        List<Map<String, Object>> bad = new ArrayList<>();
        for (SweepJob.Row r : rows) {
            if (!r.ok()) {
                bad.add(Map.of("point", r.task().key(), "reason", r.reason()));
            }
        }
        s.put("bad_points", bad);
        if (paired) {
            rows.stream().filter(SweepJob.Row::ok).min((a, b) -> Double.compare(a.foscttm(), b.foscttm()))
                    .ifPresent(b -> s.put("best_foscttm", Map.of("point", b.task().key(), "foscttm", b.foscttm())));
        }
        s.put("files", List.of("sweep.csv", "summary.json"));
        Json.write(out.resolve("summary.json"), s);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%d points (%d bad) on %s; wrote %s: sweep.csv, summary.json%n", rows.size(),
                bad.size(), engineName[0], out);
        w.flush();
        return 0;
    }

    private static <V> void check(List<V> values, String option, Function<V, Boolean> ok) {
        for (V v : values) {
            if (!ok.apply(v)) {
                throw new IllegalArgumentException(option + " has an invalid value " + v);
            }
        }
    }
}
