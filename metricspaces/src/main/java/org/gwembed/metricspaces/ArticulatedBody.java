package org.gwembed.metricspaces;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;

/**
 * A generated human-like triangle mesh in chosen poses, for near-isometric shape pairs like the FAUST scans of the
 * paper's Fig. 3 (two poses of one body: the same vertices and triangles, nearly equal geodesic distances).
 *
 * <p><b>Construction.</b> The torso, neck and head are one surface of revolution about the {@code z} axis with an
 * elliptical cross-section (semi-axes {@code ρ(z)} in {@code x} and {@code ρ(z)·aspect(z)} in {@code y}; a
 * Catmull–Rom profile through fixed control points, about 0.99 high), closed by a vertex at each pole and meshed as
 * a structured grid (rings equispaced in meridian arc length, equispaced angles, alternating diagonals). Four
 * rectangular patches of that grid (at the shoulders and at the hips, on both sides) are cut out; the boundary loop
 * of each patch is the first ring of a limb: a circular tube of constant radius around a unit-speed skeleton curve
 * (shoulder or hip stub along the torso's outward normal, upper bone, lower bone, joints smoothed over one tube
 * radius), rings equispaced along the tube, frames parallel-transported from the patch, closed by a rounded end and
 * a tip vertex. The result is a closed, consistently oriented (outward) genus-0 triangle mesh, about 1.8 high
 * (z up, facing +y, the body's right side at +x).
 *
 * <p><b>Poses.</b> A {@link Pose} gives the joint angles (shoulder abduction, elbow, hip flexion, knee, in degrees).
 * The mesh connectivity and the vertex order depend only on the requested vertex count, never on the pose, and every
 * skeleton curve is parametrised by arc length with the same lengths in every pose, so two poses differ only where
 * the tubes bend at the joints: geodesic distances change by a few percent on average (see the tests).
 *
 * <p><b>Vertex data.</b> {@link Body#parts()} labels every vertex with a {@link Part}; the
 * {@link MeshGenerators.GeneratedMesh} parameters are {@code (height in the standing pose, part ordinal)}, the same
 * for every pose, so they colour corresponding points alike.
 */
public final class ArticulatedBody {

    /** The labelled parts of the body. Vertices of a patch boundary belong to the torso. */
    public enum Part {
        HEAD, TORSO, LEFT_UPPER_ARM, LEFT_FOREARM, RIGHT_UPPER_ARM, RIGHT_FOREARM, LEFT_THIGH, LEFT_SHIN,
        RIGHT_THIGH, RIGHT_SHIN;

        /** Lower case with spaces, e.g. {@code "left upper arm"}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** The same part on the other side ({@code LEFT_*} ↔ {@code RIGHT_*}); head and torso are their own mirror. */
        public Part mirrored() {
            String n = name();
            if (n.startsWith("LEFT_")) {
                return valueOf("RIGHT_" + n.substring(5));
            }
            if (n.startsWith("RIGHT_")) {
                return valueOf("LEFT_" + n.substring(6));
            }
            return this;
        }
    }

    /**
     * Joint angles in degrees, each in {@code [−180, 180]}.
     *
     * @param leftShoulder  abduction of the left upper arm: 0 hangs down, 90 points sideways, 180 points up
     * @param leftElbow     flexion of the left forearm towards the front
     * @param rightShoulder as {@code leftShoulder}, right side
     * @param rightElbow    as {@code leftElbow}, right side
     * @param leftHip       flexion of the left thigh: 0 points down, positive swings it forward
     * @param leftKnee      flexion of the left shin towards the back
     * @param rightHip      as {@code leftHip}, right side
     * @param rightKnee     as {@code leftKnee}, right side
     */
    public record Pose(double leftShoulder, double leftElbow, double rightShoulder, double rightElbow, double leftHip,
            double leftKnee, double rightHip, double rightKnee) {

        public Pose {
            double[] all = {leftShoulder, leftElbow, rightShoulder, rightElbow, leftHip, leftKnee, rightHip, rightKnee};
            String[] names = {"leftShoulder", "leftElbow", "rightShoulder", "rightElbow", "leftHip", "leftKnee",
                "rightHip", "rightKnee"};
            for (int i = 0; i < all.length; i++) {
                Require.inRange(all[i], -180, 180, names[i]);
            }
        }

        /** Standing: arms hanging slightly away from the body, elbows and knees almost straight. */
        public static Pose standing() {
            return new Pose(10, 10, 10, 10, 0, 4, 0, 4);
        }

        /** Both arms raised above the head and a step forward with the left leg (knee bent). */
        public static Pose armsRaisedStep() {
            return new Pose(165, 25, 150, 15, 35, 40, -12, 6);
        }
    }

    /**
     * A generated body.
     *
     * @param generated the mesh, its parameters {@code (height in the standing pose, part ordinal)} and a description
     * @param parts     the part of each vertex (indices into {@link Part#values()})
     * @param pose      the pose it was generated in
     */
    public record Body(MeshGenerators.GeneratedMesh generated, int[] parts, Pose pose) {
        public Body {
            Require.nonNull(generated, "generated");
            Require.nonNull(parts, "parts");
            Require.nonNull(pose, "pose");
            if (parts.length != generated.mesh().vertexCount()) {
                throw new IllegalArgumentException("parts has " + parts.length + " entries but the mesh has "
                        + generated.mesh().vertexCount() + " vertices");
            }
            parts = parts.clone();
        }

        /** The triangle mesh. */
        public TriangleMesh mesh() {
            return generated.mesh();
        }

        /** The part of vertex {@code i}. */
        public Part part(int i) {
            return Part.values()[parts[i]];
        }

        @Override
        public int[] parts() {
            return parts.clone();
        }
    }

    // Torso profile control points: (ρ, z, aspect); ρ is the x semi-axis, ρ·aspect the y semi-axis.
    private static final double[][] PROFILE = {
        {0.000, 0.000, 0.70}, {0.100, 0.015, 0.70}, {0.155, 0.070, 0.70}, {0.170, 0.150, 0.68},
        {0.150, 0.300, 0.66}, {0.145, 0.380, 0.66}, {0.175, 0.520, 0.62}, {0.185, 0.600, 0.58},
        {0.160, 0.660, 0.58}, {0.080, 0.700, 0.85}, {0.050, 0.730, 1.00}, {0.050, 0.770, 1.00},
        {0.085, 0.800, 0.95}, {0.100, 0.860, 0.92}, {0.090, 0.930, 0.92}, {0.055, 0.975, 0.95},
        {0.000, 0.990, 0.95}};
    /** Vertices of the surface of revolution above this height belong to the head. */
    private static final double NECK_HEIGHT = 0.75;
    /** Bottom of the torso in the standing pose: the body is shifted so that the feet are near z = 0. */
    private static final double HIP_LIFT = 0.80;

    private static final double ARM_RADIUS = 0.042;
    private static final double ARM_HEIGHT = 0.585;
    private static final double UPPER_ARM = 0.28;
    private static final double FOREARM = 0.27;
    private static final double LEG_RADIUS = 0.062;
    private static final double LEG_HEIGHT = 0.10;
    private static final double THIGH = 0.40;
    private static final double SHIN = 0.43;
    /** Outward splay of the thighs, radians. */
    private static final double SPLAY = Math.toRadians(4);

    /** Dense samples of the profile: arc length, ρ, z, aspect. */
    private static final double[][] PROFILE_SAMPLES = sampleProfile();

    private ArticulatedBody() {
    }

    /**
     * A body of about {@code n} vertices in {@code pose}. The same {@code n} gives the same vertices (in the same
     * order) and triangles in every pose.
     *
     * @param n the approximate number of vertices, {@code >= 200} (at least about 150 are needed for the coarsest
     *          limbs); the result is within a few percent for {@code n >= 500}
     */
    public static Body generate(int n, Pose pose) {
        Require.atLeast(n, 200, "n");
        Require.nonNull(pose, "pose");
        double h = spacingFor(n);
        Built standing = build(h, Pose.standing());
        Built posed = pose.equals(Pose.standing()) ? standing : build(h, pose);
        int[] used = posed.mesh.usedVertexIndices();
        TriangleMesh mesh = posed.mesh.restrictedTo(used);
        int m = used.length;
        double[] par = new double[2 * m];
        int[] parts = new int[m];
        for (int k = 0; k < m; k++) {
            par[2 * k] = standing.mesh.vertex(used[k], 2);
            par[2 * k + 1] = posed.parts[used[k]];
            parts[k] = posed.parts[used[k]];
        }
        String description = String.format(Locale.ROOT, "articulated body (%d vertices, %d triangles, spacing %.4f; "
                + "pose %s; parameters (height in the standing pose, part))", m, mesh.triangleCount(), h, pose);
        return new Body(new MeshGenerators.GeneratedMesh(mesh, DMatrixRMaj.wrap(m, 2, par), null, description), parts,
                pose);
    }

    /** The grid spacing whose mesh has about {@code n} vertices (a few secant steps on the vertex count). */
    static double spacingFor(int n) {
        double h = Math.sqrt(1.9 / n);
        double bestH = h;
        int bestErr = Integer.MAX_VALUE;
        for (int it = 0; it < 8; it++) {
            int count = build(h, Pose.standing()).mesh.usedVertexIndices().length;
            int err = Math.abs(count - n);
            if (err < bestErr) {
                bestErr = err;
                bestH = h;
            }
            if (err <= 0.01 * n) {
                break;
            }
            h *= Math.sqrt((double) count / n);
        }
        return bestH;
    }

    /** A mesh before unused patch vertices are dropped, with the part of each vertex. */
    private record Built(TriangleMesh mesh, int[] parts) {
    }

    /** One limb: side (+1 right, −1 left), attachment height, radius, bone lengths, parts. */
    private record Limb(int side, boolean arm, double height, double radius, double upper, double lower,
            Part upperPart, Part lowerPart) {
    }

    private static Built build(double h, Pose pose) {
        double total = PROFILE_SAMPLES[PROFILE_SAMPLES.length - 1][0];
        int rings = Math.max(6, (int) Math.round(total / h)); // ring intervals, poles at 0 and rings
        double chest = ellipsePerimeter(0.175, 0.175 * 0.62);
        int around = Math.max(8, 2 * (int) Math.round(chest / h / 2));
        Limb[] limbs = {
            new Limb(-1, true, ARM_HEIGHT, ARM_RADIUS, UPPER_ARM, FOREARM, Part.LEFT_UPPER_ARM, Part.LEFT_FOREARM),
            new Limb(1, true, ARM_HEIGHT, ARM_RADIUS, UPPER_ARM, FOREARM, Part.RIGHT_UPPER_ARM, Part.RIGHT_FOREARM),
            new Limb(-1, false, LEG_HEIGHT, LEG_RADIUS, THIGH, SHIN, Part.LEFT_THIGH, Part.LEFT_SHIN),
            new Limb(1, false, LEG_HEIGHT, LEG_RADIUS, THIGH, SHIN, Part.RIGHT_THIGH, Part.RIGHT_SHIN)};
        // patch sizes in cells (angle, rings); angular sizes even so that both sides centre on the grid
        int[][] patch = new int[limbs.length][];
        for (int l = 0; l < limbs.length; l++) {
            patch[l] = patchSize(limbs[l], h, around, rings);
        }
        double[] ringS = new double[rings + 1];
        for (int j = 0; j <= rings; j++) {
            ringS[j] = total * j / rings;
        }
        List<double[]> xyz = new ArrayList<>();
        List<Integer> parts = new ArrayList<>();
        // torso grid: vertex 0 bottom pole, ring j (1..rings-1) angle i at 1 + (j-1)*around + i, then top pole
        double offset = 0; // angular sizes are even: the grid line theta = 0 is the patch centre
        for (int j = 0; j <= rings; j++) {
            double[] p = profileAt(ringS[j]);
            int count = j == 0 || j == rings ? 1 : around;
            for (int i = 0; i < count; i++) {
                double theta = 2 * Math.PI * (i + offset) / around;
                xyz.add(new double[] {p[0] * Math.cos(theta), p[0] * p[2] * Math.sin(theta), p[1]});
                parts.add((p[1] > NECK_HEIGHT ? Part.HEAD : Part.TORSO).ordinal());
            }
        }
        int topPole = 1 + (rings - 1) * around;
        boolean[] removed = new boolean[around * rings]; // cell (i, j) between ring j and j+1
        int[][] patchRange = new int[limbs.length][];
        for (int l = 0; l < limbs.length; l++) {
            int kTheta = patch[l][0];
            int kRing = patch[l][1];
            int i0 = Math.floorMod((limbs[l].side() > 0 ? 0 : around / 2) - kTheta / 2, around);
            int jc = nearestRing(ringS, limbs[l].height());
            int j0 = Math.max(1, Math.min(rings - 1 - kRing, jc - kRing / 2));
            patchRange[l] = new int[] {i0, j0, kTheta, kRing};
            for (int a = 0; a < kTheta; a++) {
                for (int b = 0; b < kRing; b++) {
                    int cell = ((i0 + a) % around) * rings + j0 + b;
                    if (removed[cell]) {
                        throw new IllegalStateException("limb patches overlap at spacing " + h);
                    }
                    removed[cell] = true;
                }
            }
        }
        List<int[]> tri = new ArrayList<>();
        for (int i = 0; i < around; i++) {
            int i1 = (i + 1) % around;
            tri.add(new int[] {0, ring(1, i1, around), ring(1, i, around)});
            tri.add(new int[] {topPole, ring(rings - 1, i, around), ring(rings - 1, i1, around)});
            for (int j = 1; j < rings - 1; j++) {
                if (removed[i * rings + j]) {
                    continue;
                }
                quad(tri, ring(j, i, around), ring(j, i1, around), ring(j + 1, i1, around), ring(j + 1, i, around),
                        ((i + j) & 1) == 0);
            }
        }
        for (int l = 0; l < limbs.length; l++) {
            addLimb(limbs[l], pose, patchRange[l], around, ringS, h, xyz, parts, tri);
        }
        double[] v = new double[3 * xyz.size()];
        for (int i = 0; i < xyz.size(); i++) {
            v[3 * i] = xyz.get(i)[0];
            v[3 * i + 1] = xyz.get(i)[1];
            v[3 * i + 2] = xyz.get(i)[2] + HIP_LIFT;
        }
        int[] t = orient(tri, v);
        int[] p = parts.stream().mapToInt(Integer::intValue).toArray();
        return new Built(TriangleMesh.validated(v, t), p);
    }

    private static int ring(int j, int i, int around) {
        return 1 + (j - 1) * around + i;
    }

    /** Two triangles of the quad a-b-c-d (in cyclic order), split along a-c or b-d. */
    private static void quad(List<int[]> tri, int a, int b, int c, int d, boolean acDiagonal) {
        if (acDiagonal) {
            tri.add(new int[] {a, b, c});
            tri.add(new int[] {a, c, d});
        } else {
            tri.add(new int[] {a, b, d});
            tri.add(new int[] {b, c, d});
        }
    }

    /** Patch size {angle cells (even, >= 2), ring cells (>= 1)} whose perimeter is closest to the tube's. */
    private static int[] patchSize(Limb limb, double h, int around, int rings) {
        double[] p = profileAt(arcLengthAtHeight(limb.height()));
        double cellWidth = p[0] * p[2] * 2 * Math.PI / around; // at theta = 0 the ellipse's speed is its y semi-axis
        double perimeter = 2 * Math.PI * limb.radius();
        int[] best = {2, 1};
        double bestErr = Double.POSITIVE_INFINITY;
        for (int kt = 2; kt <= Math.max(2, around / 4); kt += 2) {
            for (int kr = 1; kr <= Math.max(1, rings / 4); kr++) {
                double w = kt * cellWidth;
                double hh = kr * h;
                double err = Math.abs(2 * (w + hh) - perimeter) / perimeter + 0.3 * Math.abs(Math.log(w / hh));
                if (err < bestErr) {
                    bestErr = err;
                    best = new int[] {kt, kr};
                }
            }
        }
        return best;
    }

    private static int nearestRing(double[] ringS, double height) {
        double s = arcLengthAtHeight(height);
        int best = 1;
        for (int j = 1; j < ringS.length - 1; j++) {
            if (Math.abs(ringS[j] - s) < Math.abs(ringS[best] - s)) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Adds a limb tube: its first ring is the boundary loop of the patch cut from the torso grid, then rings along
     * the skeleton curve, then a tip vertex.
     */
    private static void addLimb(Limb limb, Pose pose, int[] range, int around, double[] ringS, double h,
            List<double[]> xyz, List<Integer> parts, List<int[]> tri) {
        int i0 = range[0];
        int j0 = range[1];
        int kt = range[2];
        int kr = range[3];
        // boundary loop: along the angle at ring j0, up the rings, back along the angle, down the rings
        List<Integer> loop = new ArrayList<>();
        for (int a = 0; a < kt; a++) {
            loop.add(ring(j0, (i0 + a) % around, around));
        }
        for (int b = 0; b < kr; b++) {
            loop.add(ring(j0 + b, (i0 + kt) % around, around));
        }
        for (int a = kt; a > 0; a--) {
            loop.add(ring(j0 + kr, (i0 + a) % around, around));
        }
        for (int b = kr; b > 0; b--) {
            loop.add(ring(j0 + b, i0, around));
        }
        int m = loop.size();
        // patch centre on the torso surface and the frame there
        double sMid = 0.5 * (ringS[j0] + ringS[j0 + kr]);
        double thetaC = limb.side() > 0 ? 0 : Math.PI;
        double[] c0 = surfacePoint(sMid, thetaC);
        double[] dTheta = sub(surfacePoint(sMid, thetaC + 1e-5), surfacePoint(sMid, thetaC - 1e-5));
        double[] dS = sub(surfacePoint(sMid + 1e-5, thetaC), surfacePoint(sMid - 1e-5, thetaC));
        double[] normal = normalize(cross(dTheta, dS));
        if (normal[0] * limb.side() < 0) {
            normal = scale(normal, -1);
        }
        double[] e1 = normalize(dTheta);
        double[] e2 = normalize(cross(normal, e1));
        double[] phase = new double[m];
        for (int k = 0; k < m; k++) {
            double[] d = sub(xyz.get(loop.get(k)), c0);
            phase[k] = Math.atan2(dot(d, e2), dot(d, e1));
        }
        // skeleton directions
        double[] down = {0, 0, -1};
        double[] out = {limb.side(), 0, 0};
        double[] front = {0, 1, 0};
        double[] d1;
        double[] d2;
        if (limb.arm()) {
            double a = Math.toRadians(limb.side() > 0 ? pose.rightShoulder() : pose.leftShoulder());
            d1 = add(scale(down, Math.cos(a)), scale(out, Math.sin(a)));
            double b = Math.toRadians(limb.side() > 0 ? pose.rightElbow() : pose.leftElbow());
            d2 = rotateTowards(d1, front, b);
        } else {
            double g = Math.toRadians(limb.side() > 0 ? pose.rightHip() : pose.leftHip());
            double[] thigh = add(scale(down, Math.cos(g)), scale(front, Math.sin(g)));
            d1 = normalize(add(scale(thigh, Math.cos(SPLAY)), scale(out, Math.sin(SPLAY))));
            double k = Math.toRadians(limb.side() > 0 ? pose.rightKnee() : pose.leftKnee());
            d2 = rotateTowards(d1, scale(front, -1), k);
        }
        double r = limb.radius();
        double w = r; // half-width of the smoothed joints
        double s1 = 1.5 * r;
        double s2 = s1 + limb.upper();
        double length = s2 + limb.lower();
        // rings equispaced in the arc length of the tube's profile: straight part, then a quarter circle to the tip
        double straight = length - r;
        double profile = straight + 0.5 * Math.PI * r;
        int count = Math.max(3, (int) Math.round(profile / h));
        double[] ringAxial = new double[count + 1];
        double[] ringRadius = new double[count + 1];
        for (int q = 0; q <= count; q++) {
            double sigma = profile * q / count;
            if (sigma <= straight) {
                ringAxial[q] = sigma;
                ringRadius[q] = r;
            } else {
                double alpha = (sigma - straight) / r;
                ringAxial[q] = straight + r * Math.sin(alpha);
                ringRadius[q] = r * Math.cos(alpha);
            }
        }
        // integrate the unit-speed skeleton and transport the frame
        double[] pos = c0.clone();
        double[] t = normal.clone();
        double[] f1 = e1.clone();
        double step = Math.min(h, r) / 40;
        double s = 0;
        int[] previous = loop.stream().mapToInt(Integer::intValue).toArray();
        for (int q = 1; q <= count; q++) {
            while (s < ringAxial[q] - 1e-12) {
                double ds = Math.min(step, ringAxial[q] - s);
                double[] tNext = direction(s + ds, normal, d1, d2, s1, s2, w);
                pos = add(pos, scale(add(t, tNext), 0.5 * ds));
                f1 = normalize(sub(f1, scale(tNext, dot(f1, tNext))));
                t = tNext;
                s += ds;
            }
            double[] f2 = cross(t, f1);
            Part part = s <= s2 ? limb.upperPart() : limb.lowerPart();
            if (q == count) {
                xyz.add(pos.clone());
                parts.add(part.ordinal());
                int tip = xyz.size() - 1;
                for (int k = 0; k < m; k++) {
                    tri.add(new int[] {previous[k], previous[(k + 1) % m], tip});
                }
                break;
            }
            int[] current = new int[m];
            for (int k = 0; k < m; k++) {
                double c = Math.cos(phase[k]) * ringRadius[q];
                double sn = Math.sin(phase[k]) * ringRadius[q];
                xyz.add(add(pos, add(scale(f1, c), scale(f2, sn))));
                parts.add(part.ordinal());
                current[k] = xyz.size() - 1;
            }
            for (int k = 0; k < m; k++) {
                int k1 = (k + 1) % m;
                quad(tri, previous[k], previous[k1], current[k1], current[k], ((q + k) & 1) == 0);
            }
            previous = current;
        }
    }

    /** The skeleton's unit tangent at arc length s: n, then d1 after the first joint, d2 after the second. */
    private static double[] direction(double s, double[] n, double[] d1, double[] d2, double s1, double s2,
            double w) {
        if (s < s1 - w) {
            return n;
        }
        if (s < s1 + w) {
            return slerp(n, d1, smoothstep((s - (s1 - w)) / (2 * w)));
        }
        if (s < s2 - w) {
            return d1;
        }
        if (s < s2 + w) {
            return slerp(d1, d2, smoothstep((s - (s2 - w)) / (2 * w)));
        }
        return d2;
    }

    private static double smoothstep(double x) {
        double c = Math.max(0, Math.min(1, x));
        return c * c * (3 - 2 * c);
    }

    private static double[] slerp(double[] a, double[] b, double f) {
        double cos = Math.max(-1, Math.min(1, dot(a, b)));
        double omega = Math.acos(cos);
        if (omega < 1e-9) {
            return a.clone();
        }
        double sin = Math.sin(omega);
        return normalize(add(scale(a, Math.sin((1 - f) * omega) / sin), scale(b, Math.sin(f * omega) / sin)));
    }

    /** {@code d} rotated by {@code angle} towards the part of {@code towards} orthogonal to it. */
    private static double[] rotateTowards(double[] d, double[] towards, double angle) {
        double[] o = sub(towards, scale(d, dot(towards, d)));
        if (Math.sqrt(dot(o, o)) < 1e-9) {
            return d.clone();
        }
        o = normalize(o);
        return normalize(add(scale(d, Math.cos(angle)), scale(o, Math.sin(angle))));
    }

    /**
     * Orients all triangles consistently by a breadth-first walk over shared edges (a neighbour must traverse a
     * shared edge in the opposite direction), then outward (positive signed volume).
     */
    private static int[] orient(List<int[]> tri, double[] v) {
        int m = tri.size();
        Map<Long, List<Integer>> byEdge = new HashMap<>();
        for (int t = 0; t < m; t++) {
            int[] c = tri.get(t);
            for (int e = 0; e < 3; e++) {
                byEdge.computeIfAbsent(edgeKey(c[e], c[(e + 1) % 3]), x -> new ArrayList<>(2)).add(t);
            }
        }
        boolean[] seen = new boolean[m];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < m; start++) {
            if (seen[start]) {
                continue;
            }
            seen[start] = true;
            queue.add(start);
            while (!queue.isEmpty()) {
                int t = queue.poll();
                int[] c = tri.get(t);
                for (int e = 0; e < 3; e++) {
                    int a = c[e];
                    int b = c[(e + 1) % 3];
                    for (int u : byEdge.get(edgeKey(a, b))) {
                        if (u == t || seen[u]) {
                            continue;
                        }
                        int[] d = tri.get(u);
                        if (hasDirectedEdge(d, a, b)) {
                            int tmp = d[1];
                            d[1] = d[2];
                            d[2] = tmp;
                        }
                        seen[u] = true;
                        queue.add(u);
                    }
                }
            }
        }
        double volume = 0;
        for (int[] c : tri) {
            double[] p = {v[3 * c[0]], v[3 * c[0] + 1], v[3 * c[0] + 2]};
            double[] q = {v[3 * c[1]], v[3 * c[1] + 1], v[3 * c[1] + 2]};
            double[] r = {v[3 * c[2]], v[3 * c[2] + 1], v[3 * c[2] + 2]};
            volume += dot(p, cross(q, r));
        }
        int[] out = new int[3 * m];
        for (int t = 0; t < m; t++) {
            int[] c = tri.get(t);
            out[3 * t] = c[0];
            out[3 * t + 1] = volume < 0 ? c[2] : c[1];
            out[3 * t + 2] = volume < 0 ? c[1] : c[2];
        }
        return out;
    }

    private static boolean hasDirectedEdge(int[] c, int a, int b) {
        for (int e = 0; e < 3; e++) {
            if (c[e] == a && c[(e + 1) % 3] == b) {
                return true;
            }
        }
        return false;
    }

    private static long edgeKey(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    // ------------------------------------------------------------------------------------------------------------
    // The profile of the surface of revolution

    /** The point of the torso surface at meridian arc length s and angle theta (before the lift). */
    private static double[] surfacePoint(double s, double theta) {
        double[] p = profileAt(s);
        return new double[] {p[0] * Math.cos(theta), p[0] * p[2] * Math.sin(theta), p[1]};
    }

    /** {ρ, z, aspect} at meridian arc length s (linear between dense samples). */
    private static double[] profileAt(double s) {
        double[][] ps = PROFILE_SAMPLES;
        double c = Math.max(0, Math.min(ps[ps.length - 1][0], s));
        int lo = 0;
        int hi = ps.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (ps[mid][0] <= c) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double span = ps[hi][0] - ps[lo][0];
        double f = span > 0 ? (c - ps[lo][0]) / span : 0;
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            out[k] = ps[lo][k + 1] + f * (ps[hi][k + 1] - ps[lo][k + 1]);
        }
        return out;
    }

    /** The meridian arc length where the profile first reaches {@code height}. */
    private static double arcLengthAtHeight(double height) {
        for (double[] p : PROFILE_SAMPLES) {
            if (p[2] >= height) {
                return p[0];
            }
        }
        return PROFILE_SAMPLES[PROFILE_SAMPLES.length - 1][0];
    }

    /**
     * Catmull–Rom samples of {@link #PROFILE} with the meridian arc length, measured on the mean semi-axis
     * {@code ρ (1 + aspect) / 2}.
     */
    private static double[][] sampleProfile() {
        int per = 400;
        int segments = PROFILE.length - 1;
        double[][] out = new double[segments * per + 1][];
        double s = 0;
        double[] prev = null;
        for (int seg = 0; seg < segments; seg++) {
            double[] p0 = PROFILE[Math.max(0, seg - 1)];
            double[] p1 = PROFILE[seg];
            double[] p2 = PROFILE[seg + 1];
            double[] p3 = PROFILE[Math.min(segments, seg + 2)];
            for (int q = 0; q < per || (seg == segments - 1 && q == per); q++) {
                double u = (double) q / per;
                double[] p = new double[3];
                for (int k = 0; k < 3; k++) {
                    p[k] = 0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * u + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * u * u
                            + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * u * u * u);
                }
                p[0] = Math.max(0, p[0]);
                if (prev != null) {
                    double dr = 0.5 * (p[0] * (1 + p[2]) - prev[0] * (1 + prev[2]));
                    s += Math.hypot(dr, p[1] - prev[1]);
                }
                out[seg * per + q] = new double[] {s, p[0], p[1], p[2]};
                prev = p;
            }
        }
        return out;
    }

    private static double ellipsePerimeter(double a, double b) {
        double hh = Math.pow(a - b, 2) / Math.pow(a + b, 2);
        return Math.PI * (a + b) * (1 + 3 * hh / (10 + Math.sqrt(4 - 3 * hh)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Small vector helpers

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] scale(double[] a, double f) {
        return new double[] {a[0] * f, a[1] * f, a[2] * f};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalize(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return scale(a, 1 / n);
    }
}
