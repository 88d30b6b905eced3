package org.gwembed.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.gwembed.metricspaces.PlaneGrid;
import org.gwembed.solvers.ChainSinkhorn;
import org.gwembed.solvers.DenseLogKernel;
import org.gwembed.solvers.DistanceProduct;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Kernel micro-benchmarks on the plane grid (N = side²): the Gibbs kernel of D_X² applied in the log domain,
 * dense (stabilised BLAS product, cache warm) against separable (Kronecker log-sum-exps), and the product
 * P · D_X with n₁ = {@code rows} rows, dense GEMM against FFT.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class KernelBenchmark {

    @Param({"30", "50"})
    public int side;

    @Param({"2000"})
    public int rows;

    private LogKernel dense;
    private LogKernel separable;
    private DistanceProduct denseProduct;
    private DistanceProduct fftProduct;
    private DistanceProduct fourierProduct;
    private double[] input;
    private double[] output;
    private double[] p;
    private double[] pd;
    private final double eps = 1e-3;

    @Setup(Level.Trial)
    public void setUp() {
        PlaneGrid grid = PlaneGrid.of(side, 1.3);
        int threads = Runtime.getRuntime().availableProcessors();
        dense = DistanceProducts.gibbs(grid, 1.0, DistanceProducts.Choice.DENSE, threads);
        separable = DistanceProducts.gibbs(grid, 1.0, DistanceProducts.Choice.SEPARABLE, threads);
        denseProduct = DistanceProducts.of(grid, 1, DistanceProducts.Choice.DENSE, threads);
        fftProduct = DistanceProducts.of(grid, 1, DistanceProducts.Choice.FFT, threads);
        fourierProduct = DistanceProducts.of(grid, 1, DistanceProducts.Choice.FOURIER, threads);
        SplittableRandom rng = new SplittableRandom(1);
        int n = grid.size();
        input = rng.doubles(n).map(x -> -x).toArray();
        output = new double[n];
        p = rng.doubles((long) rows * n).toArray();
        pd = new double[rows * n];
        dense.apply(eps, input, output); // build the stabilised kernel once
    }

    @Benchmark
    public void gibbsDenseWarm(Blackhole bh) {
        dense.apply(eps, input, output);
        bh.consume(output);
    }

    @Benchmark
    public void gibbsSeparable(Blackhole bh) {
        separable.apply(eps, input, output);
        bh.consume(output);
    }

    @Benchmark
    public void distanceProductDense(Blackhole bh) {
        denseProduct.multiplyRight(p, rows, pd);
        bh.consume(pd);
    }

    @Benchmark
    public void distanceProductFft(Blackhole bh) {
        fftProduct.multiplyRight(p, rows, pd);
        bh.consume(pd);
    }

    @Benchmark
    public void distanceProductFourier(Blackhole bh) {
        fourierProduct.multiplyRight(p, rows, pd);
        bh.consume(pd);
    }

    /**
     * One chain-Sinkhorn iteration on Y₁ – X – X – Y₂ (n₁ = n₂ = rows), middle kernel dense or separable, the
     * data-side kernels in double or single precision, warm-started from a converged solve (so the cached kernels
     * are reused, as in the late inner iterations of EW_λ).
     */
    @State(Scope.Benchmark)
    public static class Chain {
        @Param({"30", "50"})
        public int side;

        @Param({"2000"})
        public int n;

        @Param({"dense", "separable"})
        public String middle;

        @Param({"DOUBLE", "SINGLE"})
        public String precision;

        ChainSinkhorn solver;
        ChainSinkhorn.Options once;
        List<double[]> potentials;

        @Setup(Level.Trial)
        public void setUp() {
            PlaneGrid grid = PlaneGrid.of(side, 1.3);
            int big = grid.size();
            int threads = Runtime.getRuntime().availableProcessors();
            SplittableRandom rng = new SplittableRandom(2);
            double[] c12 = rng.doubles((long) n * big).toArray();
            double[] c34 = rng.doubles((long) big * n).toArray();
            double[] xi = new double[n];
            java.util.Arrays.fill(xi, 1.0 / n);
            LogKernel mid = DistanceProducts.gibbs(grid, 1.0, "dense".equals(middle)
                    ? DistanceProducts.Choice.DENSE : DistanceProducts.Choice.SEPARABLE, threads);
            Precision p = Precision.valueOf(precision);
            solver = new ChainSinkhorn(List.of(new DenseLogKernel(c12, n, big, threads, p), mid,
                    new DenseLogKernel(c34, big, n, threads, p)),
                    List.of(ChainSinkhorn.Node.hard(xi), ChainSinkhorn.Node.free(big), ChainSinkhorn.Node.free(big),
                            ChainSinkhorn.Node.hard(xi)));
            once = ChainSinkhorn.Options.defaults(0.05).withMaxIterations(1).withCheckEvery(1_000_000);
            // converge once: the kernel caches hold the fixed point's references
            potentials = solver.solve(ChainSinkhorn.Options.defaults(0.05).withMaxIterations(200)).potentials();
        }
    }

    @Benchmark
    public void chainIteration(Chain chain, Blackhole bh) {
        bh.consume(chain.solver.solve(chain.once, chain.potentials));
    }
}
