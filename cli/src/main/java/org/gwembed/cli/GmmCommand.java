package org.gwembed.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Decimals;
import org.gwembed.core.Parallel;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.GaussianMixture;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.MixtureGromovWasserstein;
import org.gwembed.examples.MixtureExample;
import org.gwembed.examples.MixtureExample.Fitted;
import org.gwembed.metricspaces.GaussianSpace;
import org.gwembed.metricspaces.MetricSpace;
import org.gwembed.metricspaces.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed gmm}: the paper's §6.3 ({@link MixtureExample}) — Gaussian mixtures fitted by EM to two 2D point sets (Blobs and Moons under
 * random affine maps, or two tables), each mixture a metric-measure space (its components with the W₂ distances
 * between them, scaled to max 1, and the mixture weights), EW_λ into the space of 2D Gaussians, MGW₂ between the
 * mixtures.
 */
@Command(name = "gmm", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Align two Gaussian mixtures (paper 6.3): EM fits, EW_lambda into the space of 2D Gaussians, MGW2.",
        description = {"Fits a K-component Gaussian mixture by EM to each of two point sets (by default scikit-learn "
                + "style Blobs and Moons, each under its own random affine map), turns each mixture into a "
                + "metric-measure space (components, W2 distances between them scaled to max 1, mixture weights), "
                + "embeds both jointly into the space X of 2D Gaussians (means on a grid x 12 covariances, Bures-"
                + "Wasserstein distance) by EW_lambda, and computes MGW2 between the mixtures.",
            "Writes result.json, zeta1.csv, zeta2.csv, inputs.png (point sets with the fitted mixtures as 2-sigma "
                + "ellipses), aligned.png (the relaxed embeddings zeta1, zeta2 as ellipses of the Gaussians of X "
                + "carrying mass, opacity and line width by mass) and embeddings.png (mass per mean)."},
        footer = {"", "Example:",
            "  gwembed gmm --samples 600 --components 6 --space gaussians:15 --out out/gmm",
            "  gwembed gmm --x a.csv --y b.csv --components 4 --out out/gmm-mine"})
final class GmmCommand implements Callable<Integer> {

    /** Gaussians of X drawn in aligned.png carry at least this fraction of the largest mass. */
    static final double DRAW_FRACTION = 1e-3;

    @Spec
    CommandSpec spec;

    @Option(names = "--x", paramLabel = "FILE",
            description = "First point set (CSV/TSV/NPY table, one point per row, >= 2 columns; the first two are "
                    + "plotted) instead of the generated Blobs.")
    Path xFile;

    @Option(names = "--y", paramLabel = "FILE", description = "Second point set instead of the generated Moons.")
    Path yFile;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "600",
            description = "Points per generated set. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--blob-centers", paramLabel = "C", defaultValue = "6",
            description = "Clusters of the generated Blobs (std 1, centres in [-10, 10]^2). Default: ${DEFAULT-VALUE}.")
    int blobCenters;

    @Option(names = "--moons-noise", paramLabel = "S", defaultValue = "0.05",
            description = "Noise of the generated Moons. Default: ${DEFAULT-VALUE}.")
    double moonsNoise;

    @Option(names = {"-k", "--components"}, paramLabel = "K", defaultValue = "6",
            description = "Gaussian components per mixture. Default: ${DEFAULT-VALUE}.")
    int components;

    @Option(names = "--em-iterations", paramLabel = "N", defaultValue = "5000",
            description = "EM iteration limit (log-likelihood tolerance 1e-8). Default: ${DEFAULT-VALUE}.")
    int emIterations;

    @Option(names = "--space", paramLabel = "SPEC", defaultValue = "gaussians:15",
            description = "The space of 2D Gaussians: gaussians:K (K x K means x 12 covariances) or "
                    + "gaussians:K:SIGMA2. Default: ${DEFAULT-VALUE}.")
    String space;

    @Option(names = "--sigma2", paramLabel = "S", defaultValue = "auto",
            description = "Covariance scale of X when --space has none: a number (on the unit mean box before "
                    + "scaling) or auto = the mixtures' mean variance in the scaled units, as the paper. "
                    + "Default: ${DEFAULT-VALUE}.")
    String sigma2;

    @Option(names = "--max-length", paramLabel = "M", defaultValue = "1.3",
            description = "X is scaled to this maximum distance. Default: ${DEFAULT-VALUE}.")
    double maxLength;

    @Option(names = "--lambda", paramLabel = "L", split = ",", defaultValue = "100",
            description = "Weight of the GW penalties (a comma-separated increasing list runs as a continuation). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Double> lambdas;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "5e-4",
            description = "Entropic regularisation (relative with reference scaling). Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--outer-iterations", paramLabel = "R", defaultValue = "40",
            description = "Outer iterations of Algorithm 1. Default: ${DEFAULT-VALUE}.")
    int outerIterations;

    @Option(names = "--cost-scaling", paramLabel = "MODE", defaultValue = "reference",
            description = "reference (epsilon relative) or plain (epsilon absolute). Default: ${DEFAULT-VALUE}.")
    JointEmbedding.CostScaling costScaling;

    @Option(names = "--perturbation", paramLabel = "A", defaultValue = "1e-2",
            description = "Relative amplitude of the seeded noise on the uniform start of zeta (0: uniform start, "
                    + "which the symmetric space of Gaussians can keep as a fixed point). Default: ${DEFAULT-VALUE}.")
    double perturbation;

    @Option(names = "--restarts", paramLabel = "K", defaultValue = "1",
            description = "Runs from differently perturbed starts; the lowest J is kept. Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the generated point sets, the affine maps and the perturbed starts. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads. Default: all processors.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/gmm",
            description = "Output directory (created). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        if ((xFile == null) != (yFile == null)) {
            throw new ParameterException(spec.commandLine(), "give both --x and --y, or neither (generated sets)");
        }
        if (components < 1) {
            throw new IllegalArgumentException("--components must be >= 1, got " + components);
        }
        if (emIterations < 1) {
            throw new IllegalArgumentException("--em-iterations must be >= 1, got " + emIterations);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("--restarts must be >= 1, got " + restarts);
        }
        if (!(perturbation >= 0) || Double.isInfinite(perturbation)) {
            throw new IllegalArgumentException("--perturbation must be >= 0 and finite, got " + perturbation);
        }
        int t = threads == null ? Parallel.defaultThreads() : threads;
        JointEmbedding.Options options = EmbedCommand.options(EmbedCommand.continuation(lambdas), epsilon,
                outerIterations, costScaling, t);
        if (perturbation > 0 || restarts > 1) {
            options = options.withRestarts(restarts, perturbation, seed);
        }
        List<DMatrixRMaj> sets = pointSets();
        Fitted a = fit(xFile == null ? "Blobs" : "X", xFile == null ? "Blobs" : xFile.toString(),
                xFile == null ? "Blobs: " + samples + " points, " + blobCenters + " centres, std 1, box 10, random "
                        + "affine map" : "point table " + xFile, sets.get(0), "--x");
        Fitted b = fit(yFile == null ? "Moons" : "Y", yFile == null ? "Moons" : yFile.toString(),
                yFile == null ? "Moons: " + samples + " points, noise " + moonsNoise + ", random affine map"
                        : "point table " + yFile, sets.get(1), "--y");

        String spaceSpec = spaceSpec(a, b);
        MetricSpace xs = EmbedCommand.space(spaceSpec, maxLength);
        if (!(xs instanceof GaussianSpace gs)) {
            throw new IllegalArgumentException("--space must be gaussians:K or gaussians:K:SIGMA2, got '" + space + "'");
        }

        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(quiet),
                options.outerIterations() * options.lambdas().size() * options.restarts());
        progress.stage("EW_lambda");
        MixtureExample.Result res;
        try {
            res = MixtureExample.run(new MixtureExample.Request(a, b, gs, options.withListener(progress)));
        } finally {
            progress.finish();
        }
        MixtureGromovWasserstein.Result mgw = res.mgw();
        MixtureGromovWasserstein.Result mgwScaled = res.mgwScaled();
        EmbeddingResult result = res.embedding();

        Inputs.Input in1 = input(a);
        Inputs.Input in2 = input(b);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("inputs", "each mixture is the metric-measure space of its components: W2 distances between "
                + "components divided by their maximum, the mixture weights as measure");
        EmbeddingRun.Request request = new EmbeddingRun.Request("gmm", in1, in2, spaceSpec, gs, maxLength, options,
                out, false, quiet, notes);
        PrintWriter w = spec.commandLine().getOut();
        EmbeddingRun.write(request, result, w);

        List<String> files = new ArrayList<>(List.of("zeta1.csv", "zeta2.csv", "embeddings.png"));
        Plots.write(Plots.sideBySide(inputPlot(a), inputPlot(b)), out.resolve("inputs.png"));
        files.add("inputs.png");
        Plots.write(Plots.sideBySide(zetaPlot("zeta1: " + a.name() + " mixture on X", gs, result.zeta1(), null),
                zetaPlot("zeta2: " + b.name() + " mixture on X", gs, result.zeta2(), null),
                zetaPlot("zeta1 (blue) and zeta2 (orange)", gs, result.zeta1(), result.zeta2())),
                out.resolve("aligned.png"));
        files.add("aligned.png");
        files.add("result.json");

        Map<String, Object> report = EmbeddingRun.report(request, result, files);
        Map<String, Object> gmm = new LinkedHashMap<>();
        gmm.put("components", components);
        gmm.put("em_max_iterations", emIterations);
        gmm.put("seed", seed);
        gmm.put("perturbation", perturbation);
        gmm.put("restarts", restarts);
        gmm.put("sigma2", sigma2Used(spaceSpec));
        gmm.put("sigma2_kind", "covariance scale of X on the unit mean box, before scaling to max_length; 'auto' "
                + "matches the mixtures' mean variance in the scaled units");
        gmm.put("sigma2_option", sigma2);
        gmm.put("draw_fraction", DRAW_FRACTION);
        report.put("gmm_parameters", gmm);
        Map<String, Object> mixtures = new LinkedHashMap<>();
        mixtures.put("x", mixtureMap(a));
        mixtures.put("y", mixtureMap(b));
        report.put("mixtures", mixtures);
        Map<String, Object> mgwReport = mgwMap(mgw, res.mgwSeconds());
        Map<String, Object> normalized = new LinkedHashMap<>();
        normalized.put("squared", mgwScaled.squared());
        normalized.put("distance", mgwScaled.distance());
        normalized.put("convention", "the same between the mixtures scaled (means by s, covariances by s^2) so that "
                + "each one's largest W2 between components is 1, as the spaces that were embedded");
        normalized.put("plan", rows(mgwScaled.plan()));
        mgwReport.put("normalized", normalized);
        report.put("mgw2", mgwReport);
        Json.write(out.resolve("result.json"), report);

        w.printf(Locale.ROOT, "  MGW2        %.6g (squared %.6g; %s, %d iterations); between the mixtures scaled to "
                + "max W2 1: %.6g%n", mgw.distance(), mgw.squared(), mgw.gw().stopReason(), mgw.gw().iterations(),
                mgwScaled.distance());
        w.printf(Locale.ROOT, "  also wrote  inputs.png, aligned.png; result.json now holds the mixtures and MGW2%n");
        w.flush();
        return 0;
    }

    private List<DMatrixRMaj> pointSets() {
        if (xFile != null) {
            return List.of(table("--x", xFile), table("--y", yFile));
        }
        if (samples < 2) {
            throw new IllegalArgumentException("--samples must be >= 2, got " + samples);
        }
        if (blobCenters < 1) {
            throw new IllegalArgumentException("--blob-centers must be >= 1, got " + blobCenters);
        }
        if (!(moonsNoise >= 0) || Double.isInfinite(moonsNoise)) {
            throw new IllegalArgumentException("--moons-noise must be >= 0 and finite, got " + moonsNoise);
        }
        return MixtureExample.pointSets(samples, blobCenters, moonsNoise, seed);
    }

    private static DMatrixRMaj table(String option, Path file) {
        DMatrixRMaj m = Tables.read(file).values();
        if (m.numCols < 2) {
            throw new IllegalArgumentException(option + " " + file + ": need at least 2 columns, got " + m.numCols);
        }
        for (double v : m.data) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(option + " " + file + ": values must be finite");
            }
        }
        return m;
    }

    private Fitted fit(String name, String specText, String description, DMatrixRMaj points, String option) {
        GaussianMixture g;
        try {
            g = GaussianMixture.fit(points, components, emIterations);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage()
                    + " (try a larger --em-iterations or another --components)", e);
        }
        try {
            return MixtureExample.fitted(name, specText, description, points, g);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Inputs.Input input(Fitted f) {
        return new Inputs.Input(f.spec(), f.space(),
                f.description() + "; " + components + "-component EM mixture, W2 between components, max 1", null);
    }

    /** The space spec with σ² filled in ({@code --sigma2}, or auto from the mixtures). */
    private String spaceSpec(Fitted a, Fitted b) {
        String s = space.trim();
        String[] parts = s.split(":");
        if (!parts[0].equalsIgnoreCase("gaussians")) {
            throw new IllegalArgumentException("--space must be gaussians:K or gaussians:K:SIGMA2, got '" + space
                    + "'");
        }
        if (parts.length != 2) {
            return s;
        }
        double value;
        if (sigma2.trim().equalsIgnoreCase("auto")) {
            value = MixtureExample.autoSigma2(a, b, maxLength);
        } else {
            try {
                value = Double.parseDouble(sigma2.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sigma2 must be a number or auto, got '" + sigma2 + "'");
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("--sigma2 must be > 0 and finite, got " + value);
            }
        }
        return s + ":" + value;
    }

    private static double sigma2Used(String spaceSpec) {
        String[] parts = spaceSpec.split(":");
        return parts.length == 3 ? Double.parseDouble(parts[2]) : org.gwembed.metricspaces.EmbeddingSpaces.DEFAULT_SIGMA2;
    }

    private Map<String, Object> mixtureMap(Fitted f) {
        GaussianMixture g = f.mixture();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("source", f.description());
        m.put("points", f.points().numRows);
        m.put("dimension", g.dimension());
        m.put("components", g.size());
        m.put("weights", g.weights());
        m.put("means", g.means());
        List<Object> covs = new ArrayList<>();
        for (DMatrixRMaj c : g.covariances()) {
            covs.add(rows(c));
        }
        m.put("covariances", covs);
        m.put("component_distances", rows(g.componentDistances()));
        m.put("distance_scale", f.scale());
        return m;
    }

    private static Map<String, Object> mgwMap(MixtureGromovWasserstein.Result r, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("squared", r.squared());
        m.put("distance", r.distance());
        m.put("convention", "MGW2^2 = sum (W2(mu_i, mu_i') - W2(nu_j, nu_j'))^2 P_ij P_i'j' at the plan found "
                + "(conditional gradient), raw W2 distances of the fitted mixtures (not scaled)");
        m.put("plan", rows(r.plan()));
        m.put("iterations", r.gw().iterations());
        m.put("stop_reason", r.gw().stopReason());
        m.put("converged", r.gw().converged());
        m.put("seconds", seconds);
        return m;
    }

    private static List<double[]> rows(DMatrixRMaj m) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < m.numRows; i++) {
            double[] r = new double[m.numCols];
            for (int j = 0; j < m.numCols; j++) {
                r[j] = m.get(i, j);
            }
            out.add(r);
        }
        return out;
    }

    /** The point set (first two coordinates) with the fitted components' 2σ ellipses, opacity by weight. */
    private static BufferedImage inputPlot(Fitted f) {
        GaussianMixture g = f.mixture();
        DMatrixRMaj p = f.points();
        double[] x = new double[p.numRows];
        double[] y = new double[p.numRows];
        for (int i = 0; i < p.numRows; i++) {
            x[i] = p.get(i, 0);
            y[i] = p.get(i, 1);
        }
        EllipsePlot plot = new EllipsePlot(f.name() + ": " + p.numRows + " points, " + g.size()
                + "-component EM mixture (2-sigma ellipses)").points(x, y)
                .note("opacity and line width by component weight; max weight "
                        + Decimals.shortForm(max(g.weights())));
        double wmax = max(g.weights());
        for (int k = 0; k < g.size(); k++) {
            DMatrixRMaj c = g.covariances().get(k);
            double rel = g.weights()[k] / wmax;
            Color col = categorical(k, 0.35 + 0.65 * rel);
            plot.ellipse(new EllipsePlot.Ellipse(g.means().get(k)[0], g.means().get(k)[1],
                    new double[] {c.get(0, 0), c.get(0, 1), c.get(1, 1)}, col, (float) (1 + 2 * rel), true));
        }
        return plot.render(560, 600);
    }

    /**
     * The Gaussians of X carrying at least {@link #DRAW_FRACTION} of the largest mass as 2σ ellipses, opacity and
     * line width ∝ mass; with {@code second}, both measures overlaid (blue, orange).
     */
    private static BufferedImage zetaPlot(String title, GaussianSpace x, double[] first, double[] second) {
        int k = x.meanGridSide();
        double side = x.mean(x.size() - 1)[0];
        EllipsePlot plot = new EllipsePlot(title).box(-0.06 * side, 1.06 * side, -0.06 * side, 1.06 * side);
        plot.note("X: " + k + "x" + k + " means x " + x.covarianceCount() + " covariances; mass >= "
                + Decimals.shortForm(DRAW_FRACTION) + " x max drawn, opacity and width by mass");
        addMass(plot, x, first, new Color(31, 119, 180));
        if (second != null) {
            addMass(plot, x, second, new Color(255, 127, 14));
        }
        return plot.render(560, 600);
    }

    private static void addMass(EllipsePlot plot, GaussianSpace x, double[] zeta, Color base) {
        double max = max(zeta);
        if (!(max > 0)) {
            return;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < zeta.length; i++) {
            if (zeta[i] >= DRAW_FRACTION * max) {
                order.add(i);
            }
        }
        order.sort((i, j) -> Double.compare(zeta[i], zeta[j]));
        for (int i : order) {
            double rel = zeta[i] / max;
            double[] m = x.mean(i);
            Color c = new Color(base.getRed(), base.getGreen(), base.getBlue(),
                    (int) Math.round(255 * Math.min(1, 0.06 + 0.94 * rel)));
            plot.ellipse(new EllipsePlot.Ellipse(m[0], m[1], x.covariance(i), c, (float) (0.5 + 2.5 * rel), false));
        }
    }

    private static Color categorical(int k, double alpha) {
        Color[] palette = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
        Color c = palette[Math.floorMod(k, palette.length)];
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * Math.max(0, Math.min(1,
                alpha))));
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
