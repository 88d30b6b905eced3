package org.gwembed.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.JointMds;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.EmbeddingSpaces;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.core.Parallel;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.metricspaces.SphereGrid;
import org.gwembed.metricspaces.Tables;
import org.gwembed.solvers.DenseBlas;
import org.gwembed.solvers.GromovWasserstein;
import org.gwembed.solvers.Precision;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The end-to-end benchmark harness (issue 7): runs fixed problems and writes {@code <out>/<yyyy-MM-dd>.md},
 * {@code .json} and {@code -scaling.png}.
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
        QUICK, DEFAULT, FULL
    }

    /** The λ grid of the paper's single-cell model selection (METHOD.md §4). */
    static final double[] SNARESEQ_LAMBDAS = {0.01, 0.1, 1, 10, 100};

    /** Sizes of one mode. */
    record Sizes(int rollPoints, int[] rollGrids, int rollIterations, int spherePoints, int sphereGrid,
            int sphereIterations, int gaussianK, int gaussianPoints, int gaussianIterations, boolean snareseq,
            int snareGrid, int snareIterations, int jmdsIterations, int[] gwSizes, int gwEntropicIterations,
            int scalingPoints, int[] scalingSides, int scalingGrid, int[] scalingN, int scalingIterations) {

        static Sizes of(Mode mode) {
            return switch (mode) {
                case QUICK -> new Sizes(150, new int[] {8, 10}, 2, 100, 8, 2, 4, 60, 2, false, 8, 2, 5,
                        new int[] {60, 120}, 20, 100, new int[] {5, 7, 9}, 7, new int[] {60, 100, 150}, 1);
                case DEFAULT -> new Sizes(2000, new int[] {30, 50}, 40, 900, 30, 5, 15, 300, 3, true, 20, 50, 100,
                        new int[] {500, 1000}, 100, 500, new int[] {10, 20, 30, 40}, 20,
                        new int[] {250, 500, 1000, 2000}, 3);
                case FULL -> new Sizes(2000, new int[] {30, 50}, 50, 900, 30, 10, 15, 300, 10, true, 20, 50, 100,
                        new int[] {500, 1000, 2000}, 1000, 500, new int[] {10, 20, 40, 60, 80, 100}, 20,
                        new int[] {250, 500, 1000, 2000, 4000}, 3);
            };
        }
    }

    /** One problem's measurements: an ordered map of fields (numbers, strings) for the md table and the JSON. */
    record Row(String group, String name, Map<String, Object> fields) {
    }

    /** One point of the scaling study. */
    record ScalingPoint(String series, int size, double secondsPerIteration) {
    }

    private final Mode mode;
    private final Sizes sizes;
    private final Path out;
    private final Path sharedDir;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ScalingPoint> scaling = new ArrayList<>();
    private long peakHeap;

    Harness(Mode mode, Path out, Path sharedDir) {
        this.mode = mode;
        this.sizes = Sizes.of(mode);
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
        String text = "usage: Harness [--quick | --full] [--out DIR]   (default out: bench/results)";
        if (error != null) {
            System.err.println(error);
            System.err.println(text);
            System.exit(2);
        }
        System.out.println(text);
    }

    /** Runs every problem and writes the report; returns the md, json and png paths. */
    Path[] run() {
        System.setProperty("java.awt.headless", "true");
        long start = System.nanoTime();
        String date = LocalDate.now().format(DateTimeFormatter.ISO_LOCAL_DATE);
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        rolls();
        sphere();
        gaussians();
        snareseq();
        gw();
        scalingStudy();
        double total = (System.nanoTime() - start) * 1e-9;
        try {
            Files.createDirectories(out);
            Path md = out.resolve(date + ".md");
            Path json = out.resolve(date + ".json");
            Path png = out.resolve(date + "-scaling.png");
            Map<String, Object> env = environment(started, total);
            double[] exponents = exponents();
            Files.writeString(md, markdown(date, env, exponents, png.getFileName().toString()),
                    StandardCharsets.UTF_8);
            Files.writeString(json, json(env, exponents), StandardCharsets.UTF_8);
            plot(png, exponents);
            return new Path[] {md, json, png};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Problems

    private void rolls() {
        int n = sizes.rollPoints();
        MetricMeasureSpace y1 = meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        // untimed warm-up of every setting on the first grid: the timed runs then measure the steady state of
        // each iteration, not the JIT compiling its code paths on 2 busy cores (in a fresh JVM the fast 30 x 30
        // run's 40 iterations took ~2.5 s longer; after 8 warm-up iterations, within ~4 % of a full 40-iteration
        // warm-up)
        for (Setting setting : SETTINGS) {
            JointEmbedding.embed(y1, y2, PlaneGrid.of(sizes.rollGrids()[0], 1.3), setting.apply(
                    JointEmbedding.Options.defaults(50, 6e-4).withOuterIterations(warmupIterations())));
        }
        for (int side : sizes.rollGrids()) {
            JointEmbedding.Options options = JointEmbedding.Options.defaults(50, 6e-4)
                    .withOuterIterations(sizes.rollIterations());
            for (Setting setting : SETTINGS) {
                embed("rolls" + setting.suffix(), setting.label() == null ? "S-curve (" + y1.size()
                        + ") vs Swiss roll with hole (" + y2.size() + ") -> plane " + side + "x" + side
                        : "the same, " + setting.label(), y1, y2, PlaneGrid.of(side, 1.3), setting.apply(options));
            }
        }
    }

    /**
     * A setting the rolls and the SNAREseq grid run in: its group suffix, its label in the report (null for the
     * reference) and how it changes the reference options.
     */
    private record Setting(String suffix, String label, UnaryOperator<JointEmbedding.Options> change) {
        JointEmbedding.Options apply(JointEmbedding.Options reference) {
            return change.apply(reference);
        }

        /** The label as a target row's suffix: "" for the reference, ", " and the label otherwise. */
        String rowSuffix() {
            return label == null ? "" : ", " + label;
        }
    }

    /** Untimed outer iterations that each setting runs before the rolls are timed. */
    private int warmupIterations() {
        return Math.min(ROLL_WARMUP_ITERATIONS, sizes.rollIterations());
    }

    /** See {@link #warmupIterations()}. */
    static final int ROLL_WARMUP_ITERATIONS = 8;

    /** What {@link #warm} changes, for the report. */
    static final String WARM = "warm, over-relaxed inner solves";

    /** What {@link #fast} changes, for the report. */
    static final String FAST = "single precision + warm, over-relaxed inner solves";

    /**
     * The reference settings with faster inner solves, still in double precision: started from the previous
     * outer iteration's potentials and over-relaxed (the same inner fixed points to the inner tolerance).
     */
    static JointEmbedding.Options warm(JointEmbedding.Options reference) {
        return reference.withWarmInnerStarts().withOverRelaxedInnerSolves();
    }

    /** The reference, then the two faster settings. */
    private static final List<Setting> SETTINGS = List.of(new Setting("", null, o -> o),
            new Setting("-warm", WARM, Harness::warm), new Setting("-fast", FAST, Harness::fast));

    /**
     * The label of {@code group}'s runs in the targets table when it is one of {@code problem}'s settings ("" for
     * the reference, ", " and the setting's label otherwise), null when it is not.
     */
    private static String settingsLabel(String group, String problem) {
        for (Setting setting : SETTINGS) {
            if (group.equals(problem + setting.suffix())) {
                return setting.rowSuffix();
            }
        }
        return null;
    }

    /**
     * The reference settings made faster without changing the method: float32 kernels and product operands
     * ({@link Precision#SINGLE}), inner solves started from an earlier outer iteration's potentials and
     * over-relaxed with an adaptive factor (the same inner fixed points to the inner tolerance).
     */
    static JointEmbedding.Options fast(JointEmbedding.Options reference) {
        return reference.withPrecision(Precision.SINGLE).withWarmInnerStarts().withOverRelaxedInnerSolves();
    }

    private void sphere() {
        int n = sizes.spherePoints();
        MetricMeasureSpace y1 = meshSpace(MeshGenerators.sphericalRectangleWithHole(n));
        MetricMeasureSpace y2 = meshSpace(MeshGenerators.sphericalCapWithHole(n));
        int side = sizes.sphereGrid();
        JointEmbedding.Options options = JointEmbedding.Options.defaults(1000, 1e-3)
                .withOuterIterations(sizes.sphereIterations());
        embed("sphere", "spherical rectangle (" + y1.size() + ") vs cap (" + y2.size() + ") -> sphere " + side + "x"
                + side, y1, y2, SphereGrid.of(side, 1.3), options);
    }

    private void gaussians() {
        int n = sizes.gaussianPoints();
        MetricMeasureSpace y1 = meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        String spec = "gaussians:" + sizes.gaussianK();
        MetricSpace x = EmbeddingSpaces.parse(spec, 1.3);
        JointEmbedding.Options options = JointEmbedding.Options.defaults(100, 5e-4)
                .withOuterIterations(sizes.gaussianIterations());
        embed("gaussians", "S-curve (" + y1.size() + ") vs Swiss roll (" + y2.size() + ") -> " + spec + " (N = "
                + x.size() + ")", y1, y2, x, options);
    }

    private void snareseq() {
        if (!sizes.snareseq()) {
            notes.add("SNAREseq skipped in quick mode.");
            return;
        }
        Path dir = sharedDir.resolve("data").resolve("snareseq");
        Path atac = dir.resolve("SNAREseq_atac_feat.npy");
        Path rna = dir.resolve("SNAREseq_rna_feat.npy");
        if (!Files.isRegularFile(atac) || !Files.isRegularFile(rna)) {
            notes.add("SNAREseq skipped: " + dir.toAbsolutePath().normalize() + " not found (set -Dgwembed.shared.dir).");
            return;
        }
        DMatrixRMaj a = Tables.read(atac).values();
        DMatrixRMaj b = Tables.read(rna).values();
        KnnGraph.Options knn = KnnGraph.Options.scot(10).withUnreachable(KnnGraph.Unreachable.LARGEST_FINITE);
        MetricMeasureSpace y1 = MetricMeasureSpace.uniform(KnnGraph.geodesics(a, knn).normalizedToMax(1));
        MetricMeasureSpace y2 = MetricMeasureSpace.uniform(KnnGraph.geodesics(b, knn).normalizedToMax(1));
        int side = sizes.snareGrid();
        // the paper's grid search over λ, each run as long as the authors' (50 outer iterations): the later
        // iterations need ~10 times the inner iterations of the first ten, so shorter runs do not extrapolate
        for (Setting setting : SETTINGS) {
            for (double lambda : SNARESEQ_LAMBDAS) {
                JointEmbedding.Options options = JointEmbedding.Options.defaults(lambda, 1e-3)
                        .withOuterIterations(sizes.snareIterations());
                embed("snareseq" + setting.suffix(), (setting.label() == null ? "EW_lambda ATAC (" + y1.size()
                        + ") vs RNA (" + y2.size() + ") -> plane " + side + "x" + side : "the same, " + setting.label())
                        + ", lambda " + lambda, y1, y2, PlaneGrid.of(side, 1.3), setting.apply(options));
            }
        }

        KnnGraph.Options knnJmds = KnnGraph.Options.scot(110);
        MetricMeasureSpace m1 = MetricMeasureSpace.uniform(
                DistanceMatrices.normalizedToMean(KnnGraph.geodesics(a, knnJmds), 1.0));
        MetricMeasureSpace m2 = MetricMeasureSpace.uniform(
                DistanceMatrices.normalizedToMean(KnnGraph.geodesics(b, knnJmds), 1.0));
        JointMds.Options jo = JointMds.Options.snareseq().withMaxIterations(sizes.jmdsIterations());
        System.out.println("[snareseq-jmds] ...");
        resetPeaks();
        long t0 = System.nanoTime();
        JointMds.Result r = JointMds.fit(m1, m2, jo);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n1", m1.size());
        f.put("n2", m2.size());
        f.put("seconds", seconds);
        f.put("iterations", r.iterations());
        f.put("stopReason", r.stopReason().toString());
        f.put("stress", r.stress());
        f.put("foscttm", r.foscttm().symmetric());
        f.put("foscttmOneDirectional", r.foscttm().oneDirectional());
        f.put("secondsInitialisation", r.timings().initialisation());
        f.put("secondsProcrustes", r.timings().procrustes());
        f.put("secondsSmacof", r.timings().smacof());
        f.put("peakHeapMiB", mib(peakSinceReset()));
        add("snareseq-jmds", "JMDS ATAC vs RNA (scot(110) geodesics / mean), max " + jo.maxIterations()
                + " iterations", f);
    }

    private void gw() {
        for (int n : sizes.gwSizes()) {
            MetricMeasureSpace x = cloud(n, 11L + n);
            MetricMeasureSpace y = cloud(n, 23L + n);
            double eps = 5e-3;
            GromovWasserstein.EntropicOptions eo = GromovWasserstein.EntropicOptions.defaults(eps)
                    .withMaxIterations(sizes.gwEntropicIterations());
            resetPeaks();
            long t0 = System.nanoTime();
            GromovWasserstein.Result r = GromovWasserstein.entropic(x, y, eo);
            gwRow("entropic", "entropic GW, eps " + eps + ", max " + eo.maxIterations() + " iterations", n,
                    (System.nanoTime() - t0) * 1e-9, r);
            resetPeaks();
            t0 = System.nanoTime();
            r = GromovWasserstein.conditionalGradient(x, y, GromovWasserstein.Options.defaults());
            gwRow("exact", "conditional gradient (POT defaults)", n, (System.nanoTime() - t0) * 1e-9, r);
        }
    }

    private void gwRow(String kind, String description, int n, double seconds, GromovWasserstein.Result r) {
        System.out.println("[gw-" + kind + "] n = " + n);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n", n);
        f.put("seconds", seconds);
        f.put("iterations", r.iterations());
        f.put("secondsPerIteration", seconds / Math.max(1, r.iterations()));
        f.put("innerIterations", r.innerIterations());
        f.put("distance", r.distance());
        f.put("marginalError", r.marginalError());
        f.put("stopReason", r.stopReason().toString());
        f.put("peakHeapMiB", mib(peakSinceReset()));
        add("gw-" + kind, description + ", n = " + n + " (random 3D clouds)", f);
    }

    private void scalingStudy() {
        int n = sizes.scalingPoints();
        MetricMeasureSpace y1 = meshSpace(MeshGenerators.sCurve(n));
        MetricMeasureSpace y2 = meshSpace(MeshGenerators.swissRoll(n, MeshGenerators.Hole.centre()));
        JointEmbedding.Options options = JointEmbedding.Options.defaults(50, 6e-4)
                .withOuterIterations(sizes.scalingIterations()).withOuterTolerance(0);
        for (int side : sizes.scalingSides()) {
            EmbeddingResult r = embed("scaling-grid", "rolls (" + y1.size() + ", " + y2.size() + ") -> plane " + side
                    + "x" + side, y1, y2, PlaneGrid.of(side, 1.3), options);
            scaling.add(new ScalingPoint("grid points N (n = " + n + ")", side * side, meanStep(r)));
        }
        int side = sizes.scalingGrid();
        for (int m : sizes.scalingN()) {
            MetricMeasureSpace a = meshSpace(MeshGenerators.sCurve(m));
            MetricMeasureSpace b = meshSpace(MeshGenerators.swissRoll(m, MeshGenerators.Hole.centre()));
            EmbeddingResult r = embed("scaling-n", "rolls (" + a.size() + ", " + b.size() + ") -> plane " + side
                    + "x" + side, a, b, PlaneGrid.of(side, 1.3), options);
            scaling.add(new ScalingPoint("input vertices n (grid " + side + "x" + side + ")", (a.size() + b.size()) / 2,
                    meanStep(r)));
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers

    private static MetricMeasureSpace meshSpace(MeshGenerators.GeneratedMesh mesh) {
        return MetricMeasureSpace.uniform(MeshGeodesics.geodesics(mesh.mesh()).normalizedToMax(1));
    }

    private static MetricMeasureSpace cloud(int n, long seed) {
        Random random = new Random(seed);
        DMatrixRMaj points = new DMatrixRMaj(n, 3);
        for (int i = 0; i < points.data.length; i++) {
            points.data[i] = random.nextDouble();
        }
        DenseMetricSpace space = PointClouds.euclidean(points, "random 3D cloud").normalizedToMax(1);
        return MetricMeasureSpace.uniform(space);
    }

    private EmbeddingResult embed(String group, String name, MetricMeasureSpace y1, MetricMeasureSpace y2,
            MetricSpace x, JointEmbedding.Options options) {
        System.out.println("[" + group + "] " + name + " ...");
        resetPeaks();
        EmbeddingResult r = JointEmbedding.embed(y1, y2, x, options);
        double[] steps = r.history().stream().mapToDouble(JointEmbedding.Step::seconds).toArray();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n1", y1.size());
        f.put("n2", y2.size());
        f.put("N", x.size());
        f.put("lambda", options.lambdas().get(options.lambdas().size() - 1));
        f.put("epsilon", options.epsilon());
        f.put("outerIterationLimit", options.outerIterations());
        f.put("outerIterations", r.outerIterations());
        f.put("secondsPerIterationMean", mean(steps));
        f.put("secondsPerIterationMedian", median(steps));
        f.put("seconds", r.seconds());
        f.put("innerIterations", r.innerIterations());
        f.put("innerNotConverged", r.innerNotConverged());
        f.put("J", r.objective().total());
        f.put("wasserstein", r.objective().wasserstein());
        f.put("gw1", r.objective().gw1());
        f.put("gw2", r.objective().gw2());
        f.put("stopReason", r.stopReason().toString());
        f.put("kernels", String.join(", ", r.kernelKinds()));
        f.put("peakHeapMiB", mib(peakSinceReset()));
        add(group, name, f);
        return r;
    }

    private void add(String group, String name, Map<String, Object> fields) {
        rows.add(new Row(group, name, fields));
        System.out.println("  " + fields);
    }

    private static double meanStep(EmbeddingResult r) {
        return mean(r.history().stream().mapToDouble(JointEmbedding.Step::seconds).toArray());
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    /** Least-squares slope of log y against log x. */
    static double logLogSlope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxy += dx * (Math.log(y[i]) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private List<String> seriesNames() {
        List<String> names = new ArrayList<>();
        for (ScalingPoint p : scaling) {
            if (!names.contains(p.series())) {
                names.add(p.series());
            }
        }
        return names;
    }

    private double[][] series(String name) {
        List<ScalingPoint> pts = scaling.stream().filter(p -> p.series().equals(name)).toList();
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i).size();
            xy[1][i] = pts.get(i).secondsPerIteration();
        }
        return xy;
    }

    private double[] exponents() {
        List<String> names = seriesNames();
        double[] e = new double[names.size()];
        for (int i = 0; i < e.length; i++) {
            double[][] xy = series(names.get(i));
            e[i] = logLogSlope(xy[0], xy[1]);
        }
        return e;
    }

    private void plot(Path png, double[] exponents) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(560)
                .title("EW_lambda: seconds per outer iteration (" + mode.name().toLowerCase(Locale.ROOT) + ")")
                .xAxisTitle("problem size (grid points N, or input vertices n)").yAxisTitle("s / outer iteration")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        List<String> names = seriesNames();
        for (int i = 0; i < names.size(); i++) {
            double[][] xy = series(names.get(i));
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "%s, slope %.2f", names.get(i), exponents[i]),
                    xy[0], xy[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ------------------------------------------------------------------------------------------------------
    // Memory

    private static void resetPeaks() {
        System.gc(); // so that the peak counts this problem's data, not the previous one's garbage
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum over the heap pools of their peak usage since the last reset (an upper bound of the peak heap). */
    private long peakSinceReset() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        peakHeap = Math.max(peakHeap, sum);
        return sum;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    // ------------------------------------------------------------------------------------------------------
    // Report

    private Map<String, Object> environment(String started, double total) {
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
        env.put("maxHeapMiB", mib(rt.maxMemory()));
        env.put("peakHeapMiB", mib(peakHeap));
        env.put("totalSeconds", total);
        env.put("rollOuterIterations", sizes.rollIterations());
        env.put("rollWarmupIterations", warmupIterations());
        return env;
    }

    private static final String[] EMBED_COLUMNS = {"n1", "n2", "N", "outerIterations", "secondsPerIterationMean",
        "secondsPerIterationMedian", "innerIterations", "J", "wasserstein", "gw1", "gw2", "stopReason",
        "peakHeapMiB"};

    private String markdown(String date, Map<String, Object> env, double[] exponents, String pngName) {
        StringBuilder sb = new StringBuilder();
        sb.append("# gwembed benchmark ").append(date).append("\n\n");
        sb.append("Written by `org.gwembed.bench.Harness` (").append(env.get("mode")).append(" mode). Regenerate: ")
                .append("`mvn -B -q -o package -DskipTests -pl bench -am && java -cp bench/target/benchmarks.jar ")
                .append("org.gwembed.bench.Harness`.\n\n");
        sb.append("| environment | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : env.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(format(e.getValue())).append(" |\n");
        }
        sb.append("\n## EW_lambda runs\n\n");
        sb.append("Times are wall seconds per outer iteration (from `EmbeddingResult.history()`), after each "
                + "setting ran " + env.get("rollWarmupIterations") + " untimed outer iterations of the first rolls "
                + "problem (JIT warm-up); inner = inner chain-Sinkhorn iterations in total; J = W + lambda (GW1 + GW2) with raw costs; peak heap = sum of "
                + "the heap pools' peaks during the run (MiB).\n\n");
        sb.append("| problem | n1 | n2 | N | outer | s/it mean | s/it median | inner | J | W | GW1 | GW2 | stop | "
                + "peak MiB |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (!r.fields().containsKey("secondsPerIterationMean")) {
                continue;
            }
            sb.append("| ").append(r.group()).append(": ").append(r.name());
            for (String c : EMBED_COLUMNS) {
                sb.append(" | ").append(format(r.fields().get(c)));
            }
            sb.append(" |\n");
        }
        List<Row> others = rows.stream().filter(r -> !r.fields().containsKey("secondsPerIterationMean")).toList();
        if (!others.isEmpty()) {
            sb.append("\n## JMDS and GW\n\n| problem | results |\n|---|---|\n");
            for (Row r : others) {
                sb.append("| ").append(r.group()).append(": ").append(r.name()).append(" | ");
                List<String> parts = new ArrayList<>();
                r.fields().forEach((k, v) -> parts.add(k + " " + format(v)));
                sb.append(String.join(", ", parts)).append(" |\n");
            }
        }
        targets(sb);
        sb.append("\n## Scaling\n\n");
        List<String> names = seriesNames();
        sb.append("| series | sizes | s/it | fitted exponent (log-log least squares) |\n|---|---|---|---|\n");
        for (int i = 0; i < names.size(); i++) {
            double[][] xy = series(names.get(i));
            sb.append("| ").append(names.get(i)).append(" | ");
            List<String> xs = new ArrayList<>();
            List<String> ys = new ArrayList<>();
            for (int j = 0; j < xy[0].length; j++) {
                xs.add(String.valueOf((int) xy[0][j]));
                ys.add(format(xy[1][j]));
            }
            sb.append(String.join(", ", xs)).append(" | ").append(String.join(", ", ys)).append(" | ")
                    .append(format(exponents[i])).append(" |\n");
        }
        sb.append("\n![scaling](").append(pngName).append(")\n");
        if (!notes.isEmpty()) {
            sb.append("\n## Notes\n\n");
            for (String n : notes) {
                sb.append("* ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    /** The targets (2 cores, native BLAS) next to what this run measured. */
    private void targets(StringBuilder sb) {
        List<String> lines = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            gridTarget("snareseq" + setting.suffix(), setting.rowSuffix(), lines);
        }
        for (Row r : rows) {
            Map<String, Object> f = r.fields();
            String rollsLabel = settingsLabel(r.group(), "rolls");
            if (rollsLabel != null) {
                int side = (int) Math.round(Math.sqrt(((Number) f.get("N")).doubleValue()));
                double limit = side == 30 ? 0.3 : side == 50 ? 1.0 : Double.NaN;
                if (!Double.isNaN(limit)) {
                    double got = (Double) f.get("secondsPerIterationMean");
                    lines.add(String.format(Locale.ROOT, "| rolls %dx%d%s, s / outer iteration | <= %.1f | %.3f | %s |",
                            side, side, rollsLabel, limit, got,
                            got <= limit ? "met" : "missed"));
                }
            } else if (r.group().equals("snareseq-jmds")) {
                double got = (Double) f.get("seconds");
                int its = ((Number) f.get("iterations")).intValue();
                lines.add(String.format(Locale.ROOT, "| JMDS SNAREseq 100 iterations, s | <= 60 | %.1f (%d iterations) "
                        + "| %s |", got, its, its >= 100 && got <= 60 ? "met" : its < 100 ? "n/a" : "missed"));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        sb.append("\n## Targets (issue 7: 2 cores, native BLAS)\n\n| target | limit | this run | |\n|---|---|---|---|\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
    }

    /** The SNAREseq grid-search target for the runs of {@code group}. */
    private void gridTarget(String group, String label, List<String> lines) {
        double gridSeconds = 0;
        int gridRuns = 0;
        int gridIterations = 0;
        for (Row r : rows) {
            if (r.group().equals(group)) {
                gridSeconds += ((Number) r.fields().get("seconds")).doubleValue();
                gridIterations += ((Number) r.fields().get("outerIterationLimit")).intValue();
                gridRuns++;
            }
        }
        if (gridRuns == 0) {
            return;
        }
        // measured when the whole grid ran (a run that stopped early on converged plans counts as it ran);
        // otherwise scaled to 5 x 50 iterations (an underestimate: the later iterations are the slow ones)
        boolean whole = gridRuns == SNARESEQ_LAMBDAS.length && gridIterations == SNARESEQ_LAMBDAS.length * 50;
        double got = whole ? gridSeconds : gridSeconds * SNARESEQ_LAMBDAS.length * 50 / gridIterations;
        lines.add(String.format(Locale.ROOT, "| SNAREseq EW_lambda grid search (5 lambdas x 50 iterations%s), s "
                + "| <= 30 | %.1f (%s) | %s |", label, got, whole ? "measured, sum of the 5 runs"
                : "extrapolated from " + gridIterations + " iterations, an underestimate", got <= 30 ? "met" : "missed"));
    }

    private String json(Map<String, Object> env, double[] exponents) {
        StringBuilder sb = new StringBuilder("{\n  \"environment\": ");
        object(sb, env, "  ");
        sb.append(",\n  \"problems\": [");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", r.group());
            m.put("name", r.name());
            m.putAll(r.fields());
            sb.append(i == 0 ? "\n    " : ",\n    ");
            object(sb, m, "    ");
        }
        sb.append("\n  ],\n  \"scaling\": [");
        List<String> names = seriesNames();
        for (int i = 0; i < names.size(); i++) {
            double[][] xy = series(names.get(i));
            sb.append(i == 0 ? "\n    " : ",\n    ");
            sb.append("{\"series\": ").append(quote(names.get(i))).append(", \"sizes\": ").append(array(xy[0]))
                    .append(", \"secondsPerIteration\": ").append(array(xy[1])).append(", \"exponent\": ")
                    .append(number(exponents[i])).append('}');
        }
        sb.append("\n  ],\n  \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(notes.get(i)));
        }
        sb.append("]\n}\n");
        return sb.toString();
    }

    private static void object(StringBuilder sb, Map<String, Object> m, String indent) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append(first ? "" : ", ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            if (v instanceof Number num) {
                sb.append(number(num.doubleValue()));
            } else if (v instanceof Boolean b) {
                sb.append(b);
            } else {
                sb.append(quote(String.valueOf(v)));
            }
            first = false;
        }
        sb.append('}');
    }

    private static String array(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return sb.append(']').toString();
    }

    /** JSON number; NaN and infinities become null. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.valueOf(v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            double a = Math.abs(d);
            if (!Double.isFinite(d)) {
                return String.valueOf(d);
            }
            if (a != 0 && (a < 1e-3 || a >= 1e5)) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v).replace("|", "/");
    }
}
