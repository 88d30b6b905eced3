package org.gwembed.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.metricspaces.MeshGenerators;
import org.gwembed.metricspaces.MeshGeodesics;
import org.gwembed.metricspaces.MetricMeasureSpace;
import org.gwembed.metricspaces.MetricSpace;

/**
 * What the scenarios of one harness run measure, in the order they measured it: one {@link Row} per problem, notes
 * for the report, the points of the scaling study, the peak heap. Also the helpers the scenarios share (a timed EW_λ
 * run, the heap peaks, mesh inputs). The harness's log (one line per problem and its fields) goes to stdout.
 */
final class Measurements {

    /** One problem's measurements: an ordered map of fields (numbers, strings) for the md table and the JSON. */
    record Row(String group, String name, Map<String, Object> fields) {
    }

    /** One point of the scaling study. */
    record ScalingPoint(String series, int size, double secondsPerIteration, double peakHeapMiB) {
    }

    private final Sizes sizes;
    private final Path sharedDir;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ScalingPoint> scaling = new ArrayList<>();
    private long peakHeap;

    Measurements(Sizes sizes, Path sharedDir) {
        this.sizes = sizes;
        this.sharedDir = sharedDir;
    }

    Sizes sizes() {
        return sizes;
    }

    /** The shared directory ({@code <shared>/data/snareseq} holds SNAREseq). */
    Path sharedDir() {
        return sharedDir;
    }

    List<Row> rows() {
        return rows;
    }

    List<String> notes() {
        return notes;
    }

    List<ScalingPoint> scaling() {
        return scaling;
    }

    /** The largest heap peak of any problem so far, in bytes. */
    long peakHeap() {
        return peakHeap;
    }

    void note(String text) {
        notes.add(text);
    }

    /** A point of the scaling study: the last {@link #embed}'s mean seconds per outer iteration and peak heap. */
    void scalingPoint(String series, int size, double secondsPerIteration) {
        scaling.add(new ScalingPoint(series, size, secondsPerIteration, mib(peakSinceReset())));
    }

    /** Records a problem's fields (and logs them). */
    void add(String group, String name, Map<String, Object> fields) {
        rows.add(new Row(group, name, fields));
        System.out.println("  " + fields);
    }

    /** Runs EW_λ once, timed, and records its row: sizes, settings, per-iteration times, J and its terms, memory. */
    EmbeddingResult embed(String group, String name, MetricMeasureSpace y1, MetricMeasureSpace y2, MetricSpace x,
            JointEmbedding.Options options) {
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

    /** A generated mesh's geodesics scaled to max 1, uniform weights. */
    static MetricMeasureSpace meshSpace(MeshGenerators.GeneratedMesh mesh) {
        return MetricMeasureSpace.uniform(MeshGeodesics.geodesics(mesh.mesh()).normalizedToMax(1));
    }

    /** The mean seconds of an embedding's outer iterations. */
    static double meanStep(EmbeddingResult r) {
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

    /** Resets the heap pools' peaks (after a GC, so that the peak counts the next problem's data, not garbage). */
    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum over the heap pools of their peak usage since the last reset (an upper bound of the peak heap). */
    long peakSinceReset() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        peakHeap = Math.max(peakHeap, sum);
        return sum;
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
