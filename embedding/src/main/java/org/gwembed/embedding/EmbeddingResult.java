package org.gwembed.embedding;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.metricspaces.MetricSpace;

/**
 * The outcome of an EW_λ run (METHOD.md §6): the relaxed embeddings, the plans, the objective term by term and
 * every diagnostic needed to judge the run. Non-convergence is data: check {@link #stopReason()},
 * {@link #innerNotConverged()} and {@link #marginalError()}.
 *
 * @param space             the embedding space X (coordinates for drawing and projection)
 * @param zeta1             ζ₁ = P₁ᵀ1, the relaxed embedding of 𝕐₁ (N entries)
 * @param zeta2             ζ₂ = P₂1, the relaxed embedding of 𝕐₂
 * @param p1                P₁, {@code n₁ × N}
 * @param p2                P₂, {@code N × n₂}
 * @param middlePlan        Π ({@code N × N}) when requested, else {@code null}
 * @param objective         J(γ) with raw costs after the last outer iteration
 * @param history           one entry per outer iteration (of the kept restart)
 * @param stopReason        what ended the last λ's outer iterations
 * @param outerIterations   outer iterations run (all λ)
 * @param innerIterations   inner iterations run (all outer iterations)
 * @param innerNotConverged outer iterations whose inner solver hit its limit or failed
 * @param marginalError     L1 error of the last inner solve's data marginals
 * @param seconds           wall time of the whole call (all restarts)
 * @param restart           which restart was kept (lowest J)
 * @param kernelKinds       the kernels and distance products used, for diagnostics
 * @param options           the settings of the run
 */
public record EmbeddingResult(MetricSpace space, double[] zeta1, double[] zeta2, DMatrixRMaj p1, DMatrixRMaj p2,
        DMatrixRMaj middlePlan, JointEmbedding.Objective objective, List<JointEmbedding.Step> history,
        JointEmbedding.StopReason stopReason, int outerIterations, int innerIterations, int innerNotConverged,
        double marginalError, double seconds, int restart, List<String> kernelKinds, JointEmbedding.Options options) {

    /** Whether every inner solve met its stopping rule. */
    public boolean innerConverged() {
        return innerNotConverged == 0;
    }
}
