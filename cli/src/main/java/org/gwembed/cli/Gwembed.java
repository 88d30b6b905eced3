package org.gwembed.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code gwembed} command line: {@code demo}, {@code embed}, {@code gw}, {@code align}, {@code gmm},
 * {@code info}.
 *
 * <p>Exit codes: 0 success; 2 bad input (a usage error, a missing or malformed file, an invalid parameter — any
 * {@link IllegalArgumentException}, which includes the readers' {@code InputFormatException}, or an I/O error on a
 * named file), reported as one line on stderr without a stack trace; 1 internal failure (a bug, or the JVM out of
 * memory), one line on stderr, and the stack trace when the environment variable {@code GWEMBED_DEBUG} is set.
 */
@Command(name = "gwembed", mixinStandardHelpOptions = true, versionProvider = Gwembed.VersionProvider.class,
        description = "Joint metric-space embedding by EW_lambda (relaxed embedded Wasserstein with "
                + "Gromov-Wasserstein marginal penalties), GW distances, single-cell alignment, Gaussian mixtures.",
        subcommands = {DemoCommand.class, EmbedCommand.class, GwCommand.class, AlignCommand.class,
            GmmCommand.class, ExamplesCommand.class, InfoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal failure.",
            "Set GWEMBED_JAVA_OPTS to pass JVM options (e.g. -Xmx16g) through the ./gwembed launcher.",
            "Collections (pairwise GW / EW_lambda matrices, parameter sweeps) on a thread pool or Apache Spark: "
                + "./gwembed batch --help (the batch module; the launcher runs it on its own classpath)."})
public final class Gwembed implements Runnable {

    /** {@code --version}: the library's version (the jar manifest's Implementation-Version) and the Java runtime. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gwembed " + org.gwembed.core.Version.get(), "Java " + System.getProperty(
                    "java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /** Exit code for bad input. */
    static final int BAD_INPUT = 2;
    /** Exit code for internal failures. */
    static final int INTERNAL = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of demo, embed, gw, align, gmm, examples, info");
    }

    public static void main(String[] args) {
        launch(commandLine(), args);
    }

    /**
     * Runs {@code cl} (configured by {@link #configure}) on the process's stdout and stderr (UTF-8) and exits with
     * its code; the batch module's main uses it too.
     */
    public static void launch(CommandLine cl, String[] args) {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(cl, out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line in-process with the given streams and returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(commandLine(), out, err, args);
    }

    /**
     * Runs {@code cl} with the given streams and returns the exit code (an {@link OutOfMemoryError} becomes one line
     * and {@link #INTERNAL}).
     */
    public static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("gwembed: out of memory (" + e.getMessage() + "); raise the heap, e.g. "
                    + "GWEMBED_JAVA_OPTS=-Xmx16g ./gwembed ...");
            err.flush();
            return INTERNAL;
        }
    }

    /** The configured picocli command line (exception handlers mapping to the exit codes above). */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Gwembed()));
    }

    /**
     * Sets the project's conventions on a picocli command line (case-insensitive enums, the exception handlers
     * mapping to the exit codes above); the batch module's command uses it too.
     */
    public static CommandLine configure(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            c.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            c.getErr().flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String name = c.getCommandSpec().qualifiedName();
            PrintWriter err = c.getErr();
            int code;
            if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException
                    || ex instanceof IOException) {
                err.println(name + ": " + oneLine(ioMessage(ex)));
                code = BAD_INPUT;
            } else {
                err.println(name + ": internal error: " + oneLine(String.valueOf(ex))
                        + (System.getenv("GWEMBED_DEBUG") == null ? " (set GWEMBED_DEBUG=1 for the stack trace)" : ""));
                if (System.getenv("GWEMBED_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
                code = INTERNAL;
            }
            err.flush();
            return code;
        });
        return cl;
    }

    /**
     * The message of a bad-input exception; for an I/O failure without a message of its own (an
     * {@link UncheckedIOException} wrapping a bare {@link IOException}, a {@link java.nio.file.NoSuchFileException}
     * whose message is only the path) the reason in words with the path, never an exception class name.
     */
    static String ioMessage(Exception ex) {
        String m = ex.getMessage();
        if (ex instanceof IOException io) {
            return Outputs.reason(io);
        }
        if (ex instanceof UncheckedIOException u && (m == null || m.startsWith("java."))) {
            return Outputs.reason(u.getCause());
        }
        return m;
    }

    /** A message on one line (line breaks joined with "; "). */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
