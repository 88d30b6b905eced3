package org.gwembed.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed examples single-cell}: the paper's Table 1 layout (FOSCTTM / KNN-Acc of EW_λ and JMDS on SNAREseq
 * and scGEM), each cell of the table produced by {@code gwembed align --dataset D --method both} with its protocol.
 */
@Command(name = "single-cell", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Table 1: FOSCTTM / KNN-Acc of EW_lambda and JMDS on SNAREseq and scGEM.",
        description = {"Runs 'gwembed align --dataset D --method both' for each dataset (the data from --data-dir, "
                + "default ../shared/data as for align; exit 2 naming the missing path when it is absent) with "
                + "align's protocol: 10-NN graph geodesics, 20x20 grid, lambda and graph chosen on a random 10% "
                + "validation split, metrics on the other cells; JMDS with its authors' settings (100 iterations "
                + "for SNAREseq, 500 for scGEM).",
            "Writes <dataset>/ (align's report.json and pictures), table.csv, report.json, and prints the table "
                + "beside the paper's numbers. FOSCTTM is the symmetric one; KNN-Acc is 5-NN label transfer "
                + "predicting x's labels from y (SCOT's direction).",
            "Full size: about 3.5 min on 2 cores. --quick: lambda 1, the Euclidean graph, a 10x10 grid, 5 outer "
                + "iterations, 10 JMDS iterations (about half a minute, mostly SNAREseq's 1047 cells; "
                + "--datasets scgem alone takes seconds)."})
final class SingleCellExample implements Callable<Integer> {

    /** The paper's Table 1 (FOSCTTM, KNN-Acc) for EW_λ and JMDS. */
    static final Map<String, double[]> PAPER = Map.of("ewl snareseq", new double[] {0.000, 0.877},
            "ewl scgem", new double[] {0.000, 0.679}, "jmds snareseq", new double[] {0.026, 0.896},
            "jmds scgem", new double[] {0.174, 0.491});

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
        Map<String, Object> table = new LinkedHashMap<>();
        for (String d : datasets) {
            String name = d.toLowerCase(Locale.ROOT);
            CommandLine cl = Gwembed.commandLine();
            cl.setOut(w);
            cl.setErr(spec.commandLine().getErr());
            AlignCommand align = cl.getSubcommands().get("align").getCommand();
            List<String> args = new ArrayList<>(List.of("align", "--dataset", name, "--data-dir", dir.toString(),
                    "--method", "both", "--threads", Integer.toString(threads), "--out", out.resolve(name).toString(),
                    "--jmds-iterations", common.quick ? "10" : name.equals("scgem") ? "500" : "100"));
            if (common.quick) {
                args.addAll(List.of("--lambda", "1", "--graph", "euclidean", "--grid", "10", "--outer-iterations",
                        "5"));
            }
            if (common.quiet) {
                args.add("--quiet");
            }
            w.println("== " + name + ": gwembed " + String.join(" ", args));
            w.flush();
            int code = cl.execute(args.toArray(String[]::new));
            if (code != 0) {
                return code;
            }
            Map<String, Object> methods = map(align.lastReport.get("methods"));
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
        report.put("paper", "Beier et al. 2025, Table 1 (10-NN graph distances, 20x20 grid)");
        report.put("metrics", "foscttm = symmetric FOSCTTM on the test cells; knn_accuracy = 5-NN label transfer, x's "
                + "labels predicted from y (SCOT's direction); knn_reverse = the other direction");
        report.put("table", table);
        Map<String, Object> paper = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : PAPER.entrySet()) {
            paper.put(e.getKey().replace(' ', '_'), Map.of("foscttm", e.getValue()[0], "knn_accuracy",
                    e.getValue()[1]));
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
                double[] p = PAPER.get(method + " " + d);
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
            Files.writeString(file, sb.toString());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
