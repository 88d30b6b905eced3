package org.gwembed.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gwembed.core.Require;
import org.gwembed.embedding.ProgressListener;
import org.gwembed.embedding.SingleCellAlignment;

/**
 * The paper's Table 1: FOSCTTM and KNN-Acc of EW_λ and JMDS on SNAREseq and scGEM, each dataset aligned by
 * {@link SingleCellAlignment}'s protocol (10-NN graph geodesics, a 20×20 grid, λ and the graph chosen on a random
 * 10 % validation split, metrics on the other cells; JMDS with its authors' settings: 100 iterations for SNAREseq, 500
 * for scGEM).
 */
public final class SingleCellExample {

    /**
     * The paper's Table 1 (FOSCTTM, KNN-Acc) by {@code "<method> <dataset>"}, methods {@code ewl} and {@code jmds}, in
     * the table's order.
     */
    public static final Map<String, double[]> PAPER = paper();
    /** Where in the paper. */
    public static final String PAPER_REFERENCE = "Beier et al. 2025, Table 1 (10-NN graph distances, 20x20 grid)";

    private SingleCellExample() {
    }

    private static Map<String, double[]> paper() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("ewl snareseq", new double[] {0.000, 0.877});
        m.put("ewl scgem", new double[] {0.000, 0.679});
        m.put("jmds snareseq", new double[] {0.026, 0.896});
        m.put("jmds scgem", new double[] {0.174, 0.491});
        return Collections.unmodifiableMap(m);
    }

    /**
     * What to run.
     *
     * @param datasets the datasets in table order ({@link SingleCellDatasets#NAMES})
     * @param dataDir  the directory holding {@code snareseq/} and {@code scgem/}
     * @param quick    the small version: λ = 1, the Euclidean graph, a 10×10 grid, 5 outer iterations, 10 JMDS
     *                 iterations
     * @param threads  worker threads
     * @param listener progress
     */
    public record Request(List<String> datasets, Path dataDir, boolean quick, int threads, ProgressListener listener) {
        public Request {
            datasets = List.copyOf(datasets);
            Require.nonNull(dataDir, "dataDir");
            Require.atLeast(threads, 1, "threads");
            Require.nonNull(listener, "listener");
        }
    }

    /** One dataset's alignment. */
    public record Entry(String dataset, SingleCellDatasets.Dataset data, SingleCellAlignment.Report report) {
    }

    /** The table, one entry per dataset in the request's order. */
    public record Result(List<Entry> entries) {
        public Result {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The protocol of one dataset: the paper's ({@link SingleCellAlignment.Protocol#paper()}), both methods, JMDS with its authors' iterations (500 for scGEM, 100 otherwise);
     * quick: λ = 1, the Euclidean graph, a 10×10 grid, 5 outer iterations and 10 JMDS iterations.
     */
    public static SingleCellAlignment.Protocol protocol(String dataset, boolean quick, int threads,
            ProgressListener listener) {
        SingleCellAlignment.Protocol p = SingleCellAlignment.Protocol.paper()
                .withMethod(SingleCellAlignment.Method.BOTH).withThreads(threads).withListener(listener)
                .withJmdsIterations(quick ? 10 : dataset.equals("scgem") ? 500 : 100);
        if (quick) {
            p = p.withLambdas(List.of(1.0)).withGraphs(List.of(SingleCellAlignment.Graph.EUCLIDEAN)).withGrid(10)
                    .withOuterIterations(5);
        }
        return p;
    }

    /** Loads and aligns each dataset. */
    public static Result run(Request request) {
        List<Entry> entries = new ArrayList<>();
        for (String name : request.datasets()) {
            SingleCellDatasets.Dataset data = SingleCellDatasets.load(name, request.dataDir());
            entries.add(new Entry(name, data, SingleCellAlignment.align(data.data(),
                    protocol(name, request.quick(), request.threads(), request.listener()))));
        }
        return new Result(entries);
    }
}
