package org.gwembed.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * Hyper-parameter choice on a validation split (paper §6.2): every candidate is run on all samples (the embedding
 * never sees the pairing), FOSCTTM is measured on the validation pairs only, the candidate with the lowest
 * symmetric validation FOSCTTM wins (ties: the earlier candidate), and metrics are reported on the remaining test
 * pairs — for every candidate, so the choice can be audited.
 */
public final class ModelSelection {

    private ModelSelection() {
    }

    /** A split of paired sample indices {@code 0..n-1} into validation and test sets. */
    public record Split(List<Integer> validation, List<Integer> test) {
        public Split {
            validation = List.copyOf(validation);
            test = List.copyOf(test);
            if (validation.size() < 2 || test.size() < 2) {
                throw new IllegalArgumentException("a split needs at least 2 validation and 2 test samples, got "
                        + validation.size() + " and " + test.size());
            }
        }

        /** The first {@code ceil(fraction · n)} samples validate, the rest test (the reference's split). */
        public static Split first(int n, double fraction) {
            Require.inRange(fraction, 0, 1, "fraction");
            int v = (int) Math.ceil(fraction * n);
            List<Integer> val = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (i < v ? val : test).add(i);
            }
            return new Split(val, test);
        }

        /** A seeded random split with {@code ceil(fraction · n)} validation samples (sorted). */
        public static Split random(int n, double fraction, long seed) {
            Require.inRange(fraction, 0, 1, "fraction");
            int v = (int) Math.ceil(fraction * n);
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            List<Integer> val = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (i < v ? val : test).add(perm[i]);
            }
            val.sort(null);
            test.sort(null);
            return new Split(val, test);
        }
    }

    /** Paired projections of both domains ({@code n × d} each) produced by one candidate. */
    public record Projections(DMatrixRMaj z1, DMatrixRMaj z2, boolean angles) {
    }

    /**
     * The evaluation of one candidate.
     *
     * @param label       the candidate's description (e.g. {@code "lambda=1"})
     * @param validation  FOSCTTM on the validation pairs
     * @param test        FOSCTTM on the test pairs
     * @param transfer    label transfer on the test pairs (null without labels)
     * @param seconds     time of the candidate's run
     */
    public record Evaluation(String label, AlignmentMetrics.Foscttm validation, AlignmentMetrics.Foscttm test,
            AlignmentMetrics.LabelTransfer transfer, double seconds) {
    }

    /** The winner and every candidate's evaluation, in order. */
    public record Selection(Evaluation best, int bestIndex, List<Evaluation> all) {
    }

    /**
     * Runs every candidate and picks the one with the lowest symmetric validation FOSCTTM.
     *
     * @param candidates the parameter sets
     * @param label      names a candidate
     * @param run        embeds both domains for a candidate
     * @param split      validation/test split
     * @param labels1    class indices of domain 1 (or {@code null})
     * @param labels2    class indices of domain 2 (or {@code null})
     * @param k          neighbours of the label-transfer classifier
     */
    public static <P> Selection gridSearch(List<P> candidates, Function<P, String> label,
            Function<P, Projections> run, Split split, int[] labels1, int[] labels2, int k) {
        Require.nonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must not be empty");
        }
        Require.nonNull(split, "split");
        List<String> labels = new ArrayList<>();
        List<Projections> projections = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (P p : candidates) {
            long t0 = System.nanoTime();
            projections.add(run.apply(p));
            seconds.add((System.nanoTime() - t0) / 1e9);
            labels.add(label.apply(p));
        }
        return evaluate(labels, projections, seconds, split, labels1, labels2, k);
    }

    /**
     * Evaluates candidates that have already run and picks the one with the lowest symmetric validation FOSCTTM
     * (ties: the earlier). The choice reads the validation rows of the projections only; the test rows and the
     * labels only enter the reported test metrics.
     *
     * @param labels      the candidates' descriptions
     * @param projections each candidate's paired coordinates, in the same order
     * @param seconds     each candidate's run time
     * @param split       validation/test split
     * @param labels1     class indices of domain 1 (or {@code null})
     * @param labels2     class indices of domain 2 (or {@code null})
     * @param k           neighbours of the label-transfer classifier
     */
    public static Selection evaluate(List<String> labels, List<Projections> projections, List<Double> seconds,
            Split split, int[] labels1, int[] labels2, int k) {
        Require.nonNull(labels, "labels");
        Require.nonNull(projections, "projections");
        Require.nonNull(seconds, "seconds");
        Require.nonNull(split, "split");
        if (projections.isEmpty() || labels.size() != projections.size() || seconds.size() != projections.size()) {
            throw new IllegalArgumentException("labels, projections and seconds must have the same positive length, "
                    + "got " + labels.size() + ", " + projections.size() + " and " + seconds.size());
        }
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        AlignmentMetrics.Foscttm[] validation = new AlignmentMetrics.Foscttm[projections.size()];
        for (int c = 0; c < projections.size(); c++) {
            Projections z = projections.get(c);
            validation[c] = AlignmentMetrics.foscttm(AlignmentMetrics.rows(z.z1(), split.validation()),
                    AlignmentMetrics.rows(z.z2(), split.validation()), z.angles());
            if (best < 0 || validation[c].symmetric() < bestValue) {
                best = c;
                bestValue = validation[c].symmetric();
            }
        }
        List<Evaluation> all = new ArrayList<>();
        for (int c = 0; c < projections.size(); c++) {
            Projections z = projections.get(c);
            DMatrixRMaj t1 = AlignmentMetrics.rows(z.z1(), split.test());
            DMatrixRMaj t2 = AlignmentMetrics.rows(z.z2(), split.test());
            AlignmentMetrics.Foscttm test = AlignmentMetrics.foscttm(t1, t2, z.angles());
            AlignmentMetrics.LabelTransfer transfer = null;
            if (labels1 != null && labels2 != null) {
                transfer = AlignmentMetrics.labelTransfer(t1, pick(labels1, split.test()), t2,
                        pick(labels2, split.test()), k);
            }
            all.add(new Evaluation(labels.get(c), validation[c], test, transfer, seconds.get(c)));
        }
        return new Selection(all.get(best), best, List.copyOf(all));
    }

    private static int[] pick(int[] labels, List<Integer> indices) {
        int[] out = new int[indices.size()];
        for (int a = 0; a < out.length; a++) {
            out[a] = labels[indices.get(a)];
        }
        return out;
    }
}
