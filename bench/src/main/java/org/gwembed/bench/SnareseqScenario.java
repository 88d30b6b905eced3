package org.gwembed.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.JointMds;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.KnnGraph;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.metricspaces.Tables;

/**
 * SNAREseq (ATAC vs RNA, 1047 cells, from {@code <shared>/data/snareseq}): the paper's EW_λ grid search over λ on
 * SCOT-graph geodesics in the three {@link SolverSetting}s, and JMDS with its authors' SNAREseq settings. Skipped in
 * quick mode and when the data is absent (with a note).
 */
final class SnareseqScenario implements Scenario {

    /** The λ grid of the paper's single-cell model selection (METHOD.md §4). */
    static final double[] LAMBDAS = {0.01, 0.1, 1, 10, 100};

    @Override
    public String name() {
        return "snareseq";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        if (!sizes.snareseq()) {
            m.note("SNAREseq skipped in quick mode.");
            return;
        }
        Path dir = m.sharedDir().resolve("data").resolve("snareseq");
        Path atac = dir.resolve("SNAREseq_atac_feat.npy");
        Path rna = dir.resolve("SNAREseq_rna_feat.npy");
        if (!Files.isRegularFile(atac) || !Files.isRegularFile(rna)) {
            m.note("SNAREseq skipped: " + dir.toAbsolutePath().normalize() + " not found (set -Dgwembed.shared.dir).");
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
        for (SolverSetting setting : SolverSetting.ALL) {
            for (double lambda : LAMBDAS) {
                JointEmbedding.Options options = JointEmbedding.Options.defaults(lambda, 1e-3)
                        .withOuterIterations(sizes.snareIterations());
                m.embed("snareseq" + setting.suffix(), (setting.label() == null ? "EW_lambda ATAC (" + y1.size()
                        + ") vs RNA (" + y2.size() + ") -> plane " + side + "x" + side : "the same, " + setting.label())
                        + ", lambda " + lambda, y1, y2, PlaneGrid.of(side, 1.3), setting.apply(options));
            }
        }
        jmds(m, a, b);
    }

    private static void jmds(Measurements m, DMatrixRMaj a, DMatrixRMaj b) {
        KnnGraph.Options knnJmds = KnnGraph.Options.scot(110);
        MetricMeasureSpace m1 = MetricMeasureSpace.uniform(
                DistanceMatrices.normalizedToMean(KnnGraph.geodesics(a, knnJmds), 1.0));
        MetricMeasureSpace m2 = MetricMeasureSpace.uniform(
                DistanceMatrices.normalizedToMean(KnnGraph.geodesics(b, knnJmds), 1.0));
        JointMds.Options jo = JointMds.Options.snareseq().withMaxIterations(m.sizes().jmdsIterations());
        System.out.println("[snareseq-jmds] ...");
        Measurements.resetPeaks();
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
        f.put("peakHeapMiB", Measurements.mib(m.peakSinceReset()));
        m.add("snareseq-jmds", "JMDS ATAC vs RNA (scot(110) geodesics / mean), max " + jo.maxIterations()
                + " iterations", f);
    }
}
