package org.gwembed.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.CollectionMetrics;
import org.gwembed.examples.MotionSequences;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.GromovWasserstein;

/**
 * Sanity evidence for the motion collection (issue 19): the pairwise GW matrix of a {@link MotionSequences}
 * collection by a plain double loop over {@code i < j} (conditional gradient, POT 0.8.2's defaults; not a batch
 * engine), and how well it separates the movements — leave-one-out 1-NN accuracy and silhouette
 * ({@link CollectionMetrics}) — beside two cheap baselines that see only the distribution of a member's frame
 * distances: {@code |mean D_i − mean D_j|} (the size of the movement) and the L1 distance between the quantile
 * functions of the distance values (Mémoli's first lower bound of GW, up to its exponent), on 101 quantiles.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests -pl bench -am
 * java -cp bench/target/benchmarks.jar org.gwembed.bench.MotionSeparation [--members 20] [--frames 300]
 *     [--classes 4] [--seed 1] [--normalize raw|max] [--out DIR]
 * </pre>
 *
 * {@code --normalize max} scales every member's distances to max 1 first (the blog's {@code D /= D.max()});
 * {@code --out DIR} writes {@code gw.npy} (the matrix) there. Pairs run on all processors (a parallel stream).
 */
public final class MotionSeparation {

    private MotionSeparation() {
    }

    /** The result for one collection. */
    record Outcome(DMatrixRMaj gw, int[] labels, int notConverged, double seconds) {
    }

    public static void main(String[] args) {
        MotionSequences.Options o = MotionSequences.Options.defaults();
        boolean max = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--members" -> o = o.withMembers(Integer.parseInt(v));
                case "--frames" -> o = o.withFrames(Integer.parseInt(v));
                case "--classes" -> o = o.withClasses(Integer.parseInt(v));
                case "--seed" -> o = o.withSeed(Long.parseLong(v));
                case "--noise" -> o = o.withNoise(Double.parseDouble(v));
                case "--normalize" -> max = switch (v) {
                    case "raw" -> false;
                    case "max" -> true;
                    default -> throw new IllegalArgumentException("--normalize must be raw or max, got " + v);
                };
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        MotionSequences.Collection c = MotionSequences.generate(o);
        Outcome r = run(c, max);
        int[] labels = r.labels();
        System.out.printf(Locale.ROOT, "motion collection: %d members, frames %d (%d..%d), %d classes, seed %d, "
                + "distances %s%n", c.members().size(), o.frames(),
                c.members().stream().mapToInt(MotionSequences.Member::frames).min().orElse(0),
                c.members().stream().mapToInt(MotionSequences.Member::frames).max().orElse(0), o.classes(), o.seed(),
                max ? "scaled to max 1" : "raw (body units)");
        System.out.printf(Locale.ROOT, "pairwise GW (conditional gradient, POT defaults): %d pairs in %.1f s, %d not "
                + "converged%n", labels.length * (labels.length - 1) / 2, r.seconds(), r.notConverged());
        System.out.println("| distance between members | 1-NN accuracy | silhouette |");
        System.out.println("|---|---|---|");
        row("GW", r.gw(), labels);
        List<MetricMeasureSpace> spaces = spaces(c, max);
        row("baseline: difference of mean frame distance", meanBaseline(spaces), labels);
        row("baseline: L1 of the frame-distance quantiles", quantileBaseline(spaces), labels);
        int[] leaves = CollectionMetrics.averageLinkage(r.gw()).leaves();
        System.out.println("classes in UPGMA leaf order: " + Arrays.stream(leaves).mapToObj(i -> Integer.toString(
                labels[i])).collect(Collectors.joining(" ")));
        if (out != null) {
            Tables.writeNpy(out.resolve("gw.npy"), r.gw());
            System.out.println("wrote " + out.resolve("gw.npy"));
        }
    }

    /** The pairwise GW matrix by a double loop over {@code i < j} (the pairs in parallel). */
    static Outcome run(MotionSequences.Collection c, boolean max) {
        long t0 = System.nanoTime();
        List<MetricMeasureSpace> spaces = spaces(c, max);
        int n = spaces.size();
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs.add(new int[] {i, j});
            }
        }
        List<GromovWasserstein.Result> results = pairs.parallelStream().map(p -> GromovWasserstein
                .conditionalGradient(spaces.get(p[0]), spaces.get(p[1]), GromovWasserstein.Options.defaults()))
                .toList();
        DMatrixRMaj gw = new DMatrixRMaj(n, n);
        int notConverged = 0;
        for (int k = 0; k < pairs.size(); k++) {
            GromovWasserstein.Result r = results.get(k);
            gw.set(pairs.get(k)[0], pairs.get(k)[1], r.distance());
            gw.set(pairs.get(k)[1], pairs.get(k)[0], r.distance());
            notConverged += r.converged() ? 0 : 1;
        }
        return new Outcome(gw, c.labels(), notConverged, (System.nanoTime() - t0) / 1e9);
    }

    private static List<MetricMeasureSpace> spaces(MotionSequences.Collection c, boolean max) {
        return c.members().stream().map(m -> max ? m.space().normalizedToMax(1) : m.space()).toList();
    }

    private static void row(String name, DMatrixRMaj d, int[] labels) {
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", name,
                CollectionMetrics.nearestNeighbourAccuracy(d, labels), CollectionMetrics.silhouette(d, labels));
    }

    private static DMatrixRMaj meanBaseline(List<MetricMeasureSpace> spaces) {
        double[] mean = spaces.stream().mapToDouble(s -> Arrays.stream(s.space().distanceMatrix().data).average()
                .orElse(0)).toArray();
        return pairwise(mean.length, (i, j) -> Math.abs(mean[i] - mean[j]));
    }

    private static DMatrixRMaj quantileBaseline(List<MetricMeasureSpace> spaces) {
        int q = 101;
        double[][] quantiles = spaces.stream().map(s -> {
            double[] d = s.space().distanceMatrix().data;
            Arrays.sort(d);
            return IntStream.range(0, q).mapToDouble(k -> d[(int) Math.round((double) k / (q - 1) * (d.length - 1))])
                    .toArray();
        }).toArray(double[][]::new);
        return pairwise(quantiles.length, (i, j) -> {
            double sum = 0;
            for (int k = 0; k < q; k++) {
                sum += Math.abs(quantiles[i][k] - quantiles[j][k]);
            }
            return sum / q;
        });
    }

    private interface PairFunction {
        double apply(int i, int j);
    }

    private static DMatrixRMaj pairwise(int n, PairFunction f) {
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d.set(i, j, i == j ? 0 : f.apply(i, j));
            }
        }
        return d;
    }
}
