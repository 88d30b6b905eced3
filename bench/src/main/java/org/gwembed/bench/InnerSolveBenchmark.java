package org.gwembed.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DenseLogKernel;
import org.gwembed.solvers.DistanceProducts;
import org.gwembed.solvers.LogKernel;
import org.gwembed.solvers.Precision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole inner solve of EW_λ's chain Y₁ – X – X – Y₂ as an outer iteration runs it: fresh kernels over new
 * costs, a cold start, the reference's stop rule (scaling change below 1e-5, checked every 10 iterations), with
 * plain or adaptively over-relaxed updates. The costs are squared distances between random points of the unit
 * square (the data sides) and the plane grid, scaled to maximum 1 like the reference scaling, at ε = 1e-3: small
 * enough that the plain iteration contracts slowly, as on the paper's rolls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class InnerSolveBenchmark {

    @Param({"30"})
    public int side;

    @Param({"2000"})
    public int n;

    @Param({"plain", "adaptive"})
    public String relaxation;

    @Param({"DOUBLE", "SINGLE"})
    public String precision;

    private static final double EPSILON = 1e-3;

    private PlaneGrid grid;
    private double[] c12;
    private double[] c34;
    private List<ChainSinkhorn.Node> nodes;
    private ChainSinkhorn.Options options;
    private int threads;

    @Setup(Level.Trial)
    public void setUp() {
        grid = PlaneGrid.of(side, 1.3);
        int big = grid.size();
        threads = Runtime.getRuntime().availableProcessors();
        SplittableRandom rng = new SplittableRandom(5);
        c12 = squaredDistances(rng, n, true);
        c34 = squaredDistances(rng, n, false);
        double[] xi = new double[n];
        java.util.Arrays.fill(xi, 1.0 / n);
        nodes = List.of(ChainSinkhorn.Node.hard(xi), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big),
                ChainSinkhorn.Node.hard(xi));
        ChainSinkhorn.Options reference = ChainSinkhorn.Options.reference(EPSILON);
        options = "adaptive".equals(relaxation) ? reference.withAdaptiveRelaxation(1.9) : reference;
    }

    /**
     * Squared distances between {@code count} random points of the unit square and the grid points (coordinates
     * scaled to the unit square), divided by their maximum: data × grid, or grid × data when not {@code dataMajor}.
     */
    private double[] squaredDistances(SplittableRandom rng, int count, boolean dataMajor) {
        int big = side * side;
        double[] c = new double[count * big];
        double max = 0;
        for (int i = 0; i < count; i++) {
            double x = rng.nextDouble();
            double y = rng.nextDouble();
            for (int g = 0; g < big; g++) {
                double dx = x - (g % side) / (side - 1.0);
                double dy = y - (g / side) / (side - 1.0);
                double v = dx * dx + dy * dy;
                c[dataMajor ? i * big + g : g * count + i] = v;
                max = Math.max(max, v);
            }
        }
        for (int t = 0; t < c.length; t++) {
            c[t] /= max;
        }
        return c;
    }

    @Benchmark
    public ChainSinkhorn.Result solve() {
        int big = grid.size();
        Precision p = Precision.valueOf(precision);
        LogKernel middle = DistanceProducts.gibbs(grid, 1.0 / (1.3 * 1.3), DistanceProducts.Choice.AUTO, threads);
        ChainSinkhorn chain = new ChainSinkhorn(List.of(DenseLogKernel.adopt(c12, n, big, threads, p), middle,
                DenseLogKernel.adopt(c34, big, n, threads, p)), nodes);
        return chain.solve(options);
    }
}
