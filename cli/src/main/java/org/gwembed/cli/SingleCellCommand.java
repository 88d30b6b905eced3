package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gwembed.embedding.ProgressListener;
import org.gwembed.examples.SingleCellExample;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed examples single-cell}: the paper's Table 1 layout (FOSCTTM / KNN-Acc of EW_λ and JMDS on SNAREseq
 * and scGEM) computed by {@link SingleCellExample}, each dataset written and printed as {@code gwembed align --dataset
 * D --method both} does.
 */
@Command(name = "single-cell", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Table 1: FOSCTTM / KNN-Acc of EW_lambda and JMDS on SNAREseq and scGEM.",
        description = {"Runs 'gwembed align --dataset D --method both' for each dataset (the data from --data-dir, "
                + "default ../shared/data as for align; exit 2 naming the missing path when it is absent) with "
                + "align's protocol: 10-NN graph geodesics, 20x20 grid, lambda and graph chosen on a random 10%% "
                + "validation split, metrics on the other cells; JMDS with its authors' settings (100 iterations "
                + "for SNAREseq, 500 for scGEM).",
            "Writes <dataset>/ (align's report.json and pictures), table.csv, report.json, and prints the table "
                + "beside the paper's numbers. FOSCTTM is the symmetric one; KNN-Acc is 5-NN label transfer "
                + "predicting x's labels from y (SCOT's direction).",
            "Full size: about 3.5 min on 2 cores. --quick: lambda 1, the Euclidean graph, a 10x10 grid, 5 outer "
                + "iterations, 10 JMDS iterations (about half a minute, mostly SNAREseq's 1047 cells; "
                + "--datasets scgem alone takes seconds)."})
final class SingleCellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions common;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding snareseq/ and scgem/ (default: as 'gwembed align').")
    Path dataDir;

    @Option(names = "--datasets", paramLabel = "D", split = ",", defaultValue = "snareseq,scgem",
            description = "Datasets, in table order. Default: ${DEFAULT-VALUE}.")
    List<String> datasets;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        int threads = common.threads();
        Path dir = dataDir != null ? dataDir : AlignCommand.defaultDataDir();
        for (String d : datasets) {
            String name = d.toLowerCase(Locale.ROOT);
            if (!name.equals("snareseq") && !name.equals("scgem")) {
                throw new IllegalArgumentException("--datasets: unknown dataset '" + d + "'; expected snareseq or "
                        + "scgem");
            }
            Path sub = dir.resolve(name);
            if (!Files.isDirectory(sub)) {
                throw new IllegalArgumentException("single-cell data not found: " + sub.toAbsolutePath().normalize()
                        + " is missing (pass --data-dir DIR holding snareseq/ and scgem/)");
            }
        }
        Path out = common.out("single-cell");
        EmbeddingRun.createDirectories(out);
        PrintWriter w = spec.commandLine().getOut();
        List<String> names = datasets.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        int steps = 0;
        for (String name : names) {
            steps += AlignCommand.progressSteps(SingleCellExample.protocol(name, common.quick, threads,
                    ProgressListener.NONE));
        }
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.enabled(common.quiet), steps);
        SingleCellExample.Result result;
        try {
            result = SingleCellExample.run(new SingleCellExample.Request(names, dir, common.quick, threads, progress));
        } finally {
            progress.finish();
        }
        Map<String, Object> table = new LinkedHashMap<>();
        for (SingleCellExample.Entry e : result.entries()) {
            String name = e.dataset();
            Path sub = out.resolve(name);
            EmbeddingRun.createDirectories(sub);
            w.println("== " + name + ": gwembed " + String.join(" ", equivalentAlign(name, dir, threads, sub)));
            w.flush();
            Map<String, Object> methods = map(AlignReport.write(sub, name, e.data(), e.report(), w).get("methods"));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ewl", cell(map(methods.get("ewl"))));
            entry.put("jmds", cell(map(methods.get("jmds"))));
            entry.put("dir", name);
            table.put(name, entry);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeCsv(out.resolve("table.csv"), table);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("example", "single-cell");
        report.put("quick", common.quick);
        report.put("paper", SingleCellExample.PAPER_REFERENCE);
        report.put("metrics", "foscttm = symmetric FOSCTTM on the test cells; knn_accuracy = 5-NN label transfer, x's "
                + "labels predicted from y (SCOT's direction); knn_reverse = the other direction");
        report.put("table", table);
        Map<String, Object> paper = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : SingleCellExample.PAPER.entrySet()) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("foscttm", e.getValue()[0]);
            cell.put("knn_accuracy", e.getValue()[1]);
            paper.put(e.getKey().replace(' ', '_'), cell);
        }
        report.put("paper_table", paper);
        report.put("files", List.of("table.csv", "report.json"));
        report.put("seconds", seconds);
        Json.write(out.resolve("report.json"), report);
        printTable(w, table);
        w.printf(Locale.ROOT, "wrote %s: table.csv, report.json, %s (%.1f s)%n", out,
                String.join("/, ", table.keySet()) + "/", seconds);
        w.flush();
        return 0;
    }

    /** The {@code gwembed align} arguments that give the same alignment as this example's for {@code name}. */
    private List<String> equivalentAlign(String name, Path dir, int threads, Path sub) {
        List<String> args = new ArrayList<>(List.of("align", "--dataset", name, "--data-dir", dir.toString(),
                "--method", "both", "--threads", Integer.toString(threads), "--out", sub.toString(),
                "--jmds-iterations", Integer.toString(SingleCellExample.protocol(name, common.quick, threads,
                        ProgressListener.NONE).jmdsIterations())));
        if (common.quick) {
            args.addAll(List.of("--lambda", "1", "--graph", "euclidean", "--grid", "10", "--outer-iterations",
                    "5"));
        }
        if (common.quiet) {
            args.add("--quiet");
        }
        return args;
    }

    /** FOSCTTM / KNN-Acc and the chosen hyper-parameters of one method's section of align's report. */
    private static Map<String, Object> cell(Map<String, Object> method) {
        Map<String, Object> c = new LinkedHashMap<>();
        Map<String, Object> f = map(method.get("foscttm"));
        c.put("foscttm", f.get("symmetric"));
        c.put("foscttm_one_directional", f.get("one_directional"));
        Object knn = method.get("knn_accuracy");
        c.put("knn_accuracy", knn == null ? null : map(knn).get("x_from_y"));
        c.put("knn_reverse", knn == null ? null : map(knn).get("y_from_x"));
        c.put("chosen", method.get("chosen"));
        c.put("seconds", method.get("seconds"));
        return c;
    }

    private static void printTable(PrintWriter w, Map<String, Object> table) {
        StringBuilder head = new StringBuilder("| method |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String d : table.keySet()) {
            head.append(' ').append(d.equals("snareseq") ? "SNAREseq" : "scGEM").append(" |");
            rule.append("---|");
        }
        w.println("FOSCTTM (symmetric, test cells) / KNN-Acc (5-NN, x from y)");
        w.println(head);
        w.println(rule);
        for (String method : List.of("ewl", "jmds")) {
            StringBuilder ours = new StringBuilder("| " + (method.equals("ewl") ? "EW_lambda" : "JMDS") + " (this run) |");
            StringBuilder paper = new StringBuilder("| " + (method.equals("ewl") ? "EW_lambda" : "JMDS") + " (paper) |");
            for (String d : table.keySet()) {
                Map<String, Object> c = map(map(table.get(d)).get(method));
                ours.append(String.format(Locale.ROOT, " %.3f / %s |", (double) c.get("foscttm"),
                        c.get("knn_accuracy") == null ? "-" : String.format(Locale.ROOT, "%.3f",
                                (double) c.get("knn_accuracy"))));
                double[] p = SingleCellExample.PAPER.get(method + " " + d);
                paper.append(String.format(Locale.ROOT, " %.3f / %.3f |", p[0], p[1]));
            }
            w.println(ours);
            w.println(paper);
        }
    }

    private static void writeCsv(Path file, Map<String, Object> table) {
        StringBuilder sb = new StringBuilder("dataset,method,foscttm_symmetric,foscttm_one_directional,knn_x_from_y,"
                + "knn_y_from_x\n");
        for (Map.Entry<String, Object> e : table.entrySet()) {
            for (String method : List.of("ewl", "jmds")) {
                Map<String, Object> c = map(map(e.getValue()).get(method));
                sb.append(e.getKey()).append(',').append(method).append(',').append(c.get("foscttm")).append(',')
                        .append(c.get("foscttm_one_directional")).append(',').append(c.get("knn_accuracy"))
                        .append(',').append(c.get("knn_reverse")).append('\n');
            }
        }
        try {
            org.gwembed.metricspaces.AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
