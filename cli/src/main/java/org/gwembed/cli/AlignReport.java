package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.embedding.AlignmentMetrics;
import org.gwembed.embedding.EmbeddingResult;
import org.gwembed.embedding.JointEmbedding;
import org.gwembed.embedding.ModelSelection;
import org.gwembed.embedding.SingleCellAlignment;
import org.gwembed.embedding.SingleCellAlignment.Protocol;
import org.gwembed.examples.SingleCellDatasets;
import org.gwembed.metricspaces.Tables;
import org.knowm.xchart.BitmapEncoder;

/**
 * What {@code gwembed align} (and {@code gwembed examples single-cell}, per dataset) writes and prints for one
 * {@link SingleCellAlignment.Report}: {@code report.json}, {@code projections.png}, {@code projection_x.csv},
 * {@code projection_y.csv}, {@code jmds_projections.png}, and the comparison table on stdout.
 */
final class AlignReport {

    private AlignReport() {
    }

    /**
     * Writes the files of {@code report} into {@code out} (which exists) and prints its table.
     *
     * @param dataset the {@code --dataset} name, or null for files
     * @return what {@code report.json} holds
     */
    static Map<String, Object> write(Path out, String dataset, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Report report, PrintWriter w) {
        return write(out, dataset, data, report, w, false);
    }

    /** As {@link #write(Path, String, SingleCellDatasets.Dataset, SingleCellAlignment.Report, PrintWriter)}; with
     * {@code svg} the pictures also as SVG ({@code projections.svg}, {@code jmds_projections.svg}). */
    static Map<String, Object> write(Path out, String dataset, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Report report, PrintWriter w, boolean svg) {
        Map<String, Object> json = commonReport(dataset, data, report);
        List<String> files = new ArrayList<>(List.of("report.json"));
        Map<String, Object> times = new LinkedHashMap<>();
        times.put("graphs_seconds", report.graphSeconds());
        Map<String, Object> methods = new LinkedHashMap<>();
        Map<String, Object> ewl = null;
        if (report.ewl() != null) {
            ewl = ewl(out, data, report, svg);
            methods.put("ewl", ewl);
            files.addAll(List.of("projections.png", "projection_x.csv", "projection_y.csv",
                    "projection_x.npy", "projection_y.npy"));
            if (svg) {
                files.add("projections.svg");
            }
            if (report.ewl().best().readout() == SingleCellAlignment.Readout.FEATURES) {
                files.addAll(List.of("aligned_x.npy", "aligned_y.npy"));
            }
            times.put("embedding_seconds", report.ewl().seconds());
        }
        Map<String, Object> jmds = null;
        if (report.jmds() != null) {
            jmds = jmds(out, data, report, svg);
            methods.put("jmds", jmds);
            files.add("jmds_projections.png");
            if (svg) {
                files.add("jmds_projections.svg");
            }
            if (report.ewl() == null) {
                times.put("jmds_seconds", jmds.get("seconds"));
            }
        }
        // the first method's headline numbers at the top level, then per method
        Map<String, Object> first = ewl != null ? ewl : jmds;
        json.put("foscttm", first.get("foscttm"));
        json.put("knn_accuracy", first.get("knn_accuracy"));
        json.put("methods", methods);
        times.put("total_seconds", report.seconds() + data.seconds());
        times.put("load_seconds", data.seconds());
        json.put("times", times);
        json.put("files", files);
        Json.write(out.resolve("report.json"), json);
        if (report.ewl() != null) {
            printTable(w, data, report, out);
        } else {
            w.printf(Locale.ROOT, "%-8s %-40s %12s %12s %10s %10s%n", "method", "chosen", "FOSCTTM-1d", "FOSCTTM-sym",
                    "knn x<-y", "knn y<-x");
            printRow(w, "JMDS", report.jmds().selection().best(), "(test cells)");
            w.printf(Locale.ROOT, "time: graphs %.1f s, JMDS %.1f s; wrote %s: report.json, jmds_projections.png%n",
                    report.graphSeconds(), report.jmds().seconds(), out);
            w.flush();
        }
        return json;
    }

    /** EW_λ's section of report.json; writes projections.png and the projections as CSV and .npy. */
    private static Map<String, Object> ewl(Path out, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Report report, boolean svg) {
        SingleCellAlignment.EwlOutcome e = report.ewl();
        Protocol p = report.protocol();
        int n = data.data().cells();
        DMatrixRMaj z1 = e.grid1();
        DMatrixRMaj z2 = e.grid2();
        labelPicture(out.resolve("projections.png"), "EW_lambda projection", z1, z2, data, "x", "y", svg);
        Tables.writeCsv(out.resolve("projection_x.csv"), z1, List.of("x", "y"));
        Tables.writeCsv(out.resolve("projection_y.csv"), z2, List.of("x", "y"));
        Tables.writeNpy(out.resolve("projection_x.npy"), z1);
        Tables.writeNpy(out.resolve("projection_y.npy"), z2);
        if (e.best().readout() == SingleCellAlignment.Readout.FEATURES) {
            // the coordinates the metrics were computed on
            Tables.writeNpy(out.resolve("aligned_x.npy"), e.z1());
            Tables.writeNpy(out.resolve("aligned_y.npy"), e.z2());
        }

        ModelSelection.Evaluation be = e.selection().best();
        SingleCellAlignment.Candidate best = e.best();
        Map<String, Object> ewl = new LinkedHashMap<>();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("graph", best.graph().label());
        chosen.put("k", best.run().graph().k());
        chosen.put("lambda", best.lambda());
        chosen.put("start", best.run().start());
        chosen.put("readout", best.readout().label());
        chosen.put("label", best.label());
        chosen.put("chosen_by", "lowest symmetric FOSCTTM on the validation split");
        ewl.put("chosen", chosen);
        ewl.put("evaluated_on", "test split: the " + report.split().test().size() + " cells not used for validation");
        ewl.put("foscttm", foscttm(be.test()));
        ewl.put("knn_accuracy", be.transfer() == null ? null : knn(be.transfer()));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("cells", n);
        all.put("foscttm", foscttm(e.allCells()));
        all.put("knn_accuracy", e.allCellsTransfer() == null ? null : knn(e.allCellsTransfer()));
        ewl.put("all_cells", all);
        ewl.put("objective", EmbeddingRun.objective(e.bestResult().objective()));
        List<Object> cands = new ArrayList<>();
        for (int c = 0; c < e.candidates().size(); c++) {
            ModelSelection.Evaluation ev = e.selection().all().get(c);
            EmbeddingResult res = e.results().get(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", ev.label());
            SingleCellAlignment.Candidate cand = e.candidates().get(c);
            m.put("graph", cand.graph().label());
            m.put("k", cand.run().graph().k());
            m.put("lambda", cand.lambda());
            m.put("start", cand.run().start());
            m.put("readout", cand.readout().label());
            m.put("validation_foscttm", foscttm(ev.validation()));
            m.put("test_foscttm", foscttm(ev.test()));
            m.put("test_knn_accuracy", ev.transfer() == null ? null : knn(ev.transfer()));
            m.put("J", res.objective().total());
            m.put("stop_reason", res.stopReason());
            m.put("inner_not_converged", res.innerNotConverged());
            m.put("marginal_error", res.marginalError());
            m.put("seconds", ev.seconds());
            cands.add(m);
        }
        ewl.put("candidates", cands);
        ewl.put("seconds", e.seconds());
        return ewl;
    }

    /** JMDS's section of report.json; writes jmds_projections.png. */
    private static Map<String, Object> jmds(Path out, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Report report, boolean svg) {
        SingleCellAlignment.JmdsOutcome j = report.jmds();
        Protocol p = report.protocol();
        DMatrixRMaj z1 = j.result().z1();
        DMatrixRMaj z2 = j.result().z2();
        labelPicture(out.resolve("jmds_projections.png"), "JMDS embedding", z1, z2, data, "z1", "z2", svg);
        ModelSelection.Selection sel = j.selection();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("graph", j.best().graph().label());
        chosen.put("k", j.best().k());
        chosen.put("scaling", "geodesics divided by their mean");
        chosen.put("alpha", 0.3);
        chosen.put("epsilon", 0.1);
        chosen.put("iterations", p.jmdsIterations());
        chosen.put("seed", p.seed());
        chosen.put("chosen_by", "lowest symmetric FOSCTTM on the validation split");
        m.put("chosen", chosen);
        m.put("evaluated_on", "test split: the " + report.split().test().size() + " cells not used for validation");
        m.put("foscttm", foscttm(sel.best().test()));
        m.put("knn_accuracy", sel.best().transfer() == null ? null : knn(sel.best().transfer()));
        m.put("stop_reason", String.valueOf(j.result().stopReason()));
        m.put("iterations", j.result().iterations());
        List<Object> cands = new ArrayList<>();
        for (int c = 0; c < j.graphs().size(); c++) {
            ModelSelection.Evaluation ev = sel.all().get(c);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("label", ev.label());
            e.put("validation_foscttm", foscttm(ev.validation()));
            e.put("test_foscttm", foscttm(ev.test()));
            e.put("test_knn_accuracy", ev.transfer() == null ? null : knn(ev.transfer()));
            e.put("seconds", ev.seconds());
            cands.add(e);
        }
        m.put("candidates", cands);
        m.put("seconds", j.seconds());
        return m;
    }

    /**
     * Both modalities' 2D embeddings side by side, coloured by label (or all alike without labels); with {@code svg}
     * also as the {@code .svg} beside {@code file}.
     */
    private static void labelPicture(Path file, String title, DMatrixRMaj z1, DMatrixRMaj z2,
            SingleCellDatasets.Dataset data, String xAxis, String yAxis, boolean svg) {
        int[] colour = data.data().classesX() != null ? data.data().classesX() : new int[z1.numRows];
        int[] colour2 = data.data().classesY() != null ? data.data().classesY() : new int[z2.numRows];
        List<String> names = data.labelNames() != null ? data.labelNames() : List.of("cell");
        org.knowm.xchart.XYChart a = Plots.labelChart(title + " of x (" + data.xName() + ")", z1, colour, names,
                xAxis, yAxis, 520, 560);
        org.knowm.xchart.XYChart b = Plots.labelChart(title + " of y (" + data.yName() + ")", z2, colour2, names,
                xAxis, yAxis, 520, 560);
        Plots.write(Plots.sideBySide(BitmapEncoder.getBufferedImage(a), BitmapEncoder.getBufferedImage(b)), file);
        if (svg) {
            String name = file.getFileName().toString();
            Plots.writeSvg(file.resolveSibling(name.substring(0, name.length() - 4) + ".svg"), a, b);
        }
    }

    /** The parts of report.json every method shares: inputs, protocol, graphs. */
    private static Map<String, Object> commonReport(String dataset, SingleCellDatasets.Dataset data,
            SingleCellAlignment.Report report) {
        Protocol p = report.protocol();
        ModelSelection.Split split = report.split();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "align");
        json.put("dataset", dataset);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", data.xName());
        inputs.put("y", data.yName());
        inputs.put("labels_x", data.labelsXName());
        inputs.put("labels_y", data.labelsYName());
        inputs.put("cells", data.data().x().rows());
        inputs.put("x_features", data.data().x().cols());
        inputs.put("y_features", data.data().y().cols());
        inputs.put("x_sparse", data.data().x().isSparse());
        inputs.put("y_sparse", data.data().y().isSparse());
        json.put("inputs", inputs);
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("space", p.space().description());
        protocol.put("epsilon", p.epsilon());
        protocol.put("cost_scaling", "reference (epsilon relative)");
        protocol.put("outer_iterations", p.outerIterations());
        JointEmbedding.Options settings = p.embeddingOptions(1);
        protocol.put("precision", settings.precision().name().toLowerCase(Locale.ROOT));
        protocol.put("warm_start", settings.warmStart());
        protocol.put("inner_relaxation", EmbeddingRun.innerRelaxation(settings));
        protocol.put("inner_relaxation_adaptive", settings.inner().adaptiveRelaxation());
        protocol.put("exact_reference", settings.exactReference());
        protocol.put("lambdas", p.lambdas());
        protocol.put("graphs", p.graphs().stream().map(SingleCellAlignment.Graph::label).toList());
        protocol.put("k", p.ks());
        protocol.put("starts", p.starts());
        protocol.put("perturbation", p.perturbation());
        protocol.put("readouts", p.readouts().stream().map(SingleCellAlignment.Readout::label).toList());
        protocol.put("validation", (p.split() == SingleCellAlignment.SplitKind.FIRST ? "the first "
                : "a random (seed " + p.seed() + ") ") + split.validation().size() + " cells (fraction "
                + p.validationFraction() + ")");
        protocol.put("validation_cells", split.validation());
        protocol.put("knn_classifier", "5 nearest neighbours, Euclidean, on the chosen read-out's coordinates");
        protocol.put("foscttm_ties", "a tie with the true match counts 1/2");
        json.put("protocol", protocol);
        Map<String, Object> graphs = new LinkedHashMap<>();
        for (SingleCellAlignment.Geodesics g : report.geodesics()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("x", g.xDescription());
            info.put("y", g.yDescription());
            info.put("x_components", g.xComponents());
            info.put("y_components", g.yComponents());
            info.put("scaling", "geodesics divided by their maximum");
            info.put("seconds", g.seconds());
            graphs.put(g.graph().label(), info);
        }
        json.put("graphs", graphs);
        return json;
    }

    private static void printTable(PrintWriter w, SingleCellDatasets.Dataset data, SingleCellAlignment.Report report,
            Path out) {
        SingleCellAlignment.EwlOutcome e = report.ewl();
        ModelSelection.Split split = report.split();
        ModelSelection.Selection sel = e.selection();
        w.printf(Locale.ROOT, "align: %s vs %s, %d cells; validation = %s %d cells, test = the other %d%n",
                data.xName(), data.yName(), data.data().cells(),
                report.protocol().split() == SingleCellAlignment.SplitKind.FIRST ? "the first" : "a random",
                split.validation().size(), split.test().size());
        w.println("candidates (FOSCTTM symmetric; knn = 5-NN accuracy x_from_y / y_from_x on the test cells):");
        w.printf(Locale.ROOT, "  %-40s %7s %7s %17s %8s%n", "candidate", "val", "test", "test knn", "seconds");
        for (int c = 0; c < e.candidates().size(); c++) {
            ModelSelection.Evaluation ev = sel.all().get(c);
            String knn = ev.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f",
                    ev.transfer().oneFromTwo(), ev.transfer().twoFromOne());
            w.printf(Locale.ROOT, "%s %-40s %7.3f %7.3f %17s %8.1f%n", c == sel.bestIndex() ? "*" : " ",
                    ev.label(), ev.validation().symmetric(), ev.test().symmetric(), knn, ev.seconds());
        }
        w.println();
        w.printf(Locale.ROOT, "%-8s %-40s %12s %12s %10s %10s%n", "method", "chosen", "FOSCTTM-1d", "FOSCTTM-sym",
                "knn x<-y", "knn y<-x");
        printRow(w, "EW_l", sel.best(), "(test cells)");
        AlignmentMetrics.Foscttm allF = e.allCells();
        AlignmentMetrics.LabelTransfer allK = e.allCellsTransfer();
        w.printf(Locale.ROOT, "%-8s %-40s %12.3f %12.3f %10s %10s   (all cells)%n", "EW_l", e.best().label(),
                allF.oneDirectional(), allF.symmetric(),
                allK == null ? "-" : String.format(Locale.ROOT, "%.3f", allK.oneFromTwo()),
                allK == null ? "-" : String.format(Locale.ROOT, "%.3f", allK.twoFromOne()));
        if (report.jmds() != null) {
            printRow(w, "JMDS", report.jmds().selection().best(), "(test cells)");
        }
        w.printf(Locale.ROOT, "time: graphs %.1f s, embeddings %.1f s; wrote %s: report.json, projections.png, "
                + "projection_x.csv, projection_y.csv%s%n", report.graphSeconds(), e.seconds(), out,
                e.best().readout() == SingleCellAlignment.Readout.FEATURES ? ", aligned_x.npy, aligned_y.npy" : "");
        w.flush();
    }

    /** One method's row of the comparison table: its chosen candidate's test metrics. */
    private static void printRow(PrintWriter w, String method, ModelSelection.Evaluation ev, String cells) {
        w.printf(Locale.ROOT, "%-8s %-40s %12.3f %12.3f %10s %10s   %s%n", method, ev.label(),
                ev.test().oneDirectional(), ev.test().symmetric(),
                ev.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", ev.transfer().oneFromTwo()),
                ev.transfer() == null ? "-" : String.format(Locale.ROOT, "%.3f", ev.transfer().twoFromOne()),
                cells);
    }

    private static Map<String, Object> foscttm(AlignmentMetrics.Foscttm f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("one_directional", f.oneDirectional());
        m.put("reverse", f.reverse());
        m.put("symmetric", f.symmetric());
        m.put("ties", f.ties());
        return m;
    }

    private static Map<String, Object> knn(AlignmentMetrics.LabelTransfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x_from_y", t.oneFromTwo());
        m.put("y_from_x", t.twoFromOne());
        m.put("mean", t.mean());
        return m;
    }
}
