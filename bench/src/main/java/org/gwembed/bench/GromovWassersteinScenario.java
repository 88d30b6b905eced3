package org.gwembed.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.PointClouds;
import org.gwembed.solvers.GromovWasserstein;

/** Entropic GW (ε = 5e-3) and exact GW (conditional gradient, POT's defaults) between random 3D clouds. */
final class GromovWassersteinScenario implements Scenario {

    @Override
    public String name() {
        return "gw";
    }

    @Override
    public void run(Measurements m) {
        Sizes sizes = m.sizes();
        for (int n : sizes.gwSizes()) {
            MetricMeasureSpace x = cloud(n, 11L + n);
            MetricMeasureSpace y = cloud(n, 23L + n);
            double eps = 5e-3;
            GromovWasserstein.EntropicOptions eo = GromovWasserstein.EntropicOptions.defaults(eps)
                    .withMaxIterations(sizes.gwEntropicIterations());
            Measurements.resetPeaks();
            long t0 = System.nanoTime();
            GromovWasserstein.Result r = GromovWasserstein.entropic(x, y, eo);
            row(m, "entropic", "entropic GW, eps " + eps + ", max " + eo.maxIterations() + " iterations", n,
                    (System.nanoTime() - t0) * 1e-9, r);
            Measurements.resetPeaks();
            t0 = System.nanoTime();
            r = GromovWasserstein.conditionalGradient(x, y, GromovWasserstein.Options.defaults());
            row(m, "exact", "conditional gradient (POT defaults)", n, (System.nanoTime() - t0) * 1e-9, r);
        }
    }

    private static void row(Measurements m, String kind, String description, int n, double seconds,
            GromovWasserstein.Result r) {
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
        f.put("peakHeapMiB", Measurements.mib(m.peakSinceReset()));
        m.add("gw-" + kind, description + ", n = " + n + " (random 3D clouds)", f);
    }

    /** n uniform random points in the unit cube, Euclidean distances scaled to max 1, uniform weights. */
    private static MetricMeasureSpace cloud(int n, long seed) {
        Random random = new Random(seed);
        DMatrixRMaj points = new DMatrixRMaj(n, 3);
        for (int i = 0; i < points.data.length; i++) {
            points.data[i] = random.nextDouble();
        }
        DenseMetricSpace space = PointClouds.euclidean(points, "random 3D cloud").normalizedToMax(1);
        return MetricMeasureSpace.uniform(space);
    }
}
