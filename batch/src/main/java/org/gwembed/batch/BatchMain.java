package org.gwembed.batch;

import java.io.PrintWriter;

import org.gwembed.cli.Gwembed;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gwembed batch}: collections of problems on a thread pool ({@code --engine local}, the default) or Apache
 * Spark ({@code --engine spark}). The {@code ./gwembed} launcher runs this class on the batch module's classpath.
 * Exit codes as {@code gwembed}'s: 0 success, 2 bad input (one line on stderr), 1 internal failure.
 */
@Command(name = "gwembed batch", mixinStandardHelpOptions = true, version = "gwembed batch 0.1.0-SNAPSHOT",
        description = "Collections of problems: the pairwise GW / EW_lambda matrix of a folder of distance matrices, "
                + "or one pair over a grid of (lambda, epsilon, grid size, seed); on a thread pool in this JVM "
                + "(--engine local, the default) or on Apache Spark (--engine spark, --master local[*] or a cluster "
                + "URL). Every finished task is logged at once: --resume continues a killed run.",
        subcommands = {PairwiseCommand.class, SweepCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal failure."})
public final class BatchMain implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: choose pairwise or sweep");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        Gwembed.launch(commandLine(), args);
    }

    /** Runs the command line in-process with the given streams and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Gwembed.execute(commandLine(), out, err, args);
    }

    private static CommandLine commandLine() {
        return Gwembed.configure(new CommandLine(new BatchMain()));
    }
}
