package org.gwembed.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.gwembed.core.Require;
import org.gwembed.metricspaces.AtomicFiles;
import org.gwembed.metricspaces.DenseMetricSpace;
import org.gwembed.metricspaces.DistanceMatrices;
import org.gwembed.metricspaces.MetricMeasureSpace;

/**
 * A collection of synthetic motion-capture sequences for pairwise comparison (issue 19's worked example), in the
 * spirit of comparing dance videos by GW between their frame-to-frame pose distance matrices
 * ({@code ../shared/seeds/gw-distance-blog.md}): each member is one performer doing one periodic {@link Movement}
 * for a few hundred frames; its metric space has one point per frame.
 *
 * <p><b>Body.</b> A stick figure of {@link #JOINTS} = 15 joints in 3-D (pelvis, chest, head; shoulder, elbow, wrist
 * of each arm; hip, knee, ankle of each leg), about 1.75 high (z up, facing +y, the body's right at +x), driven by
 * forward kinematics from joint angles: trunk lean (about the pelvis), shoulder abduction and flexion and elbow
 * flexion per arm, hip abduction and flexion and knee flexion per leg. {@code ArticulatedBody} in metricspaces is a
 * triangle mesh with 8 joint angles (no hip abduction, no trunk), made for near-isometric shape pairs; a pose
 * sequence needs joint positions only, so this class has its own skeleton with the same conventions (angles in
 * degrees, 0 = standing, limbs hanging).
 *
 * <p><b>Members.</b> Member {@code m} performs movement {@code m mod classes} (balanced classes, in
 * {@link Movement} order). Per member, drawn from one {@link Random} seeded with {@link Options#seed()}, in member
 * order: the length (uniform integer in {@code [⌈2/3 frames⌉, ⌊4/3 frames⌋]}), the period (uniform in
 * {@code [periodMin, periodMax]} frames: the speed), the phase (uniform in {@code [0, 2π)}), the amplitude factor
 * (uniform in {@code [1 − amplitudeSpread, 1 + amplitudeSpread]}, scaling every joint excursion), the body scale
 * (uniform in {@code [0.95, 1.05]}), the facing direction (a rotation about z, uniform), the posture (a constant
 * offset of each of the 13 joint angles, uniform in {@code ±styleOffset}), the timing warp (see
 * {@link Options#timingWarp()}), then the joint noise
 * (independent Gaussians of standard deviation {@code noise} on every coordinate of every joint and frame).
 *
 * <p><b>Pose distance.</b> {@code d(s, t) = ‖c_s − c_t‖₂} where {@code c_t ∈ R⁴⁵} is frame t's joint positions
 * with their centroid subtracted (a global translation — walking forward, jumping — changes nothing). It is the
 * blog's Euclidean distance between flattened poses, made translation invariant. A rotation of the whole sequence
 * (the facing direction) is an isometry of R⁴⁵, so it changes no distance either; a turn during the sequence would.
 * Distances are in the body's units (about metres), not normalised: the size of a movement is part of what tells
 * movements apart (scale them with {@link MetricMeasureSpace#normalizedToMax} for the blog's convention).
 */
public final class MotionSequences {

    /** Joints of the stick figure. */
    public static final int JOINTS = 15;

    /** Joint names, in the order of the coordinates ({@code 3 j, 3 j + 1, 3 j + 2} are joint j's x, y, z). */
    public static final List<String> JOINT_NAMES = List.of("pelvis", "chest", "head", "left shoulder", "left elbow",
            "left wrist", "right shoulder", "right elbow", "right wrist", "left hip", "left knee", "left ankle",
            "right hip", "right knee", "right ankle");

    /** The periodic movements, in class order. */
    public enum Movement {
        /** Walking on the spot: legs swing in antiphase, knees flex in the swing, arms swing against the legs. */
        WALK,
        /** Jumping jacks: arms from the sides to above the head and legs apart, together, and back. */
        JUMPING_JACKS,
        /** Waving with the right arm above the head: forearm sweeping, the shoulder bobbing at twice the rate. */
        ARM_WAVE,
        /** Squats: hips and knees flex, the trunk leans forward, arms reach forward; a pause at the top and bottom. */
        SQUAT,
        /** Alternating front kicks: left kick, back to standing, right kick; hands held up in guard. */
        KICK;

        /** Lower case with dashes, e.g. {@code "jumping-jacks"}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Settings of a collection.
     *
     * @param members         number of sequences, {@code >= 1}
     * @param frames          typical length: each member has between {@code ⌈2/3⌉} and {@code ⌊4/3⌋} of it,
     *                        {@code >= 6}
     * @param classes         number of movements used (the first ones of {@link Movement}), 1 to 5
     * @param seed            seed of everything random
     * @param periodMin       shortest period in frames (fastest speed), {@code >= 4}
     * @param periodMax       longest period in frames, {@code >= periodMin}
     * @param amplitudeSpread amplitude factors range over {@code 1 ± amplitudeSpread}, in {@code [0, 0.9]}
     * @param styleOffset     each joint angle of a member is offset by a constant uniform in
     *                        {@code ±styleOffset} degrees (a performer's posture), in {@code [0, 45]}
     * @param timingWarp      a member's phase runs as {@code φ + w sin(φ + ψ)} with {@code w} uniform in
     *                        {@code [0, timingWarp]} (faster through one part of the cycle, slower through another),
     *                        in {@code [0, 0.9]}
     * @param noise           standard deviation of the joint noise per coordinate (body units), {@code >= 0}
     */
    public record Options(int members, int frames, int classes, long seed, double periodMin, double periodMax,
            double amplitudeSpread, double styleOffset, double timingWarp, double noise) {

        /** Validates every field; messages name the field, its value and what is expected. */
        public Options {
            Require.atLeast(members, 1, "members");
            Require.atLeast(frames, 6, "frames");
            if (classes < 1 || classes > Movement.values().length) {
                throw new IllegalArgumentException("classes must be in [1, " + Movement.values().length + "], got "
                        + classes);
            }
            Require.inRange(periodMin, 4, 1e6, "periodMin");
            Require.inRange(periodMax, periodMin, 1e6, "periodMax (>= periodMin)");
            Require.inRange(amplitudeSpread, 0, 0.9, "amplitudeSpread");
            Require.inRange(styleOffset, 0, 45, "styleOffset");
            Require.inRange(timingWarp, 0, 0.9, "timingWarp");
            Require.nonNegative(noise, "noise");
        }

        /**
         * 20 members of about 300 frames, 4 movements, seed 1, periods 30 to 75 frames (4 to 10 cycles), amplitudes
         * ±25 %, posture offsets ±8°, timing warp up to 0.5, joint noise 1 cm.
         */
        public static Options defaults() {
            return new Options(20, 300, 4, 1, 30, 75, 0.25, 8, 0.5, 0.01);
        }

        /** A copy with another member count. */
        public Options withMembers(int value) {
            return new Options(value, frames, classes, seed, periodMin, periodMax, amplitudeSpread, styleOffset,
                    timingWarp, noise);
        }

        /** A copy with another typical length; the periods keep their ratio to it. */
        public Options withFrames(int value) {
            double f = (double) value / frames;
            return new Options(members, value, classes, seed, Math.max(4, periodMin * f),
                    Math.max(4, periodMax * f), amplitudeSpread, styleOffset,
                    timingWarp, noise);
        }

        /** A copy with another class count. */
        public Options withClasses(int value) {
            return new Options(members, frames, value, seed, periodMin, periodMax, amplitudeSpread, styleOffset,
                    timingWarp, noise);
        }

        /** A copy with another seed. */
        public Options withSeed(long value) {
            return new Options(members, frames, classes, value, periodMin, periodMax, amplitudeSpread, styleOffset,
                    timingWarp, noise);
        }

        /** A copy with other periods. */
        public Options withPeriods(double min, double max) {
            return new Options(members, frames, classes, seed, min, max, amplitudeSpread, styleOffset, timingWarp,
                    noise);
        }

        /** A copy with another amplitude spread. */
        public Options withAmplitudeSpread(double value) {
            return new Options(members, frames, classes, seed, periodMin, periodMax, value, styleOffset, timingWarp,
                    noise);
        }

        /** A copy with other style variations (posture offsets in degrees, timing warp). */
        public Options withStyle(double offset, double warp) {
            return new Options(members, frames, classes, seed, periodMin, periodMax, amplitudeSpread, offset, warp,
                    noise);
        }

        /** A copy with another joint noise. */
        public Options withNoise(double value) {
            return new Options(members, frames, classes, seed, periodMin, periodMax, amplitudeSpread, styleOffset,
                    timingWarp, value);
        }
    }

    /**
     * One sequence.
     *
     * @param index     position in the collection
     * @param movement  its class
     * @param period    frames per cycle
     * @param phase     phase at frame 0, radians in {@code [0, 2π)}
     * @param amplitude factor on every joint excursion
     * @param scale     body size factor
     * @param facing    rotation about the vertical axis, radians
     * @param poses     {@code frames × 45}: row t holds frame t's joint positions (x, y, z per joint, noise included)
     * @param space     the frames with uniform weights and the pose distance {@code ‖c_s − c_t‖} of centred poses
     */
    public record Member(int index, Movement movement, double period, double phase, double amplitude, double scale,
            double facing, DMatrixRMaj poses, MetricMeasureSpace space) {

        public Member {
            Require.nonNull(movement, "movement");
            Require.nonNull(poses, "poses");
            Require.nonNull(space, "space");
            poses = poses.copy();
        }

        /** The number of frames. */
        public int frames() {
            return poses.numRows;
        }

        /** Cycles per frame. */
        public double speed() {
            return 1 / period;
        }

        /** A copy of the poses. */
        @Override
        public DMatrixRMaj poses() {
            return poses.copy();
        }

        /** The file name of its distance matrix in a written collection: {@code member-000.npy}, ... */
        public String fileName() {
            return String.format(Locale.ROOT, "member-%03d.npy", index);
        }
    }

    /** A generated collection: its settings and its members in order. */
    public record Collection(Options options, List<Member> members) {
        public Collection {
            Require.nonNull(options, "options");
            members = List.copyOf(members);
        }

        /** The class of each member (the {@link Movement} ordinal). */
        public int[] labels() {
            return members.stream().mapToInt(m -> m.movement().ordinal()).toArray();
        }
    }

    private MotionSequences() {
    }

    /** Generates a collection; the same options give the same collection, bit for bit. */
    public static Collection generate(Options options) {
        Require.nonNull(options, "options");
        Random rnd = new Random(options.seed());
        int lo = (int) Math.ceil(2.0 * options.frames() / 3);
        int hi = Math.max(lo, (int) Math.floor(4.0 * options.frames() / 3));
        List<Member> members = new ArrayList<>();
        for (int m = 0; m < options.members(); m++) {
            Movement movement = Movement.values()[m % options.classes()];
            int frames = lo + rnd.nextInt(hi - lo + 1);
            double period = options.periodMin() + (options.periodMax() - options.periodMin()) * rnd.nextDouble();
            double phase = 2 * Math.PI * rnd.nextDouble();
            double amplitude = 1 + options.amplitudeSpread() * (2 * rnd.nextDouble() - 1);
            double scale = 0.95 + 0.1 * rnd.nextDouble();
            double facing = 2 * Math.PI * rnd.nextDouble();
            double[] offsets = new double[ANGLES];
            for (int k = 0; k < ANGLES; k++) {
                offsets[k] = options.styleOffset() * (2 * rnd.nextDouble() - 1);
            }
            double warp = options.timingWarp() * rnd.nextDouble();
            double warpPhase = 2 * Math.PI * rnd.nextDouble();
            Random noise = new Random(rnd.nextLong());
            DMatrixRMaj poses = new DMatrixRMaj(frames, 3 * JOINTS);
            double cos = Math.cos(facing);
            double sin = Math.sin(facing);
            for (int t = 0; t < frames; t++) {
                double phi = phase + 2 * Math.PI * t / period;
                double[] p = pose(movement, phi + warp * Math.sin(phi + warpPhase), amplitude, offsets, scale);
                for (int j = 0; j < JOINTS; j++) {
                    double x = p[3 * j];
                    double y = p[3 * j + 1];
                    poses.set(t, 3 * j, cos * x - sin * y + options.noise() * noise.nextGaussian());
                    poses.set(t, 3 * j + 1, sin * x + cos * y + options.noise() * noise.nextGaussian());
                    poses.set(t, 3 * j + 2, p[3 * j + 2] + options.noise() * noise.nextGaussian());
                }
            }
            String description = String.format(Locale.ROOT, "motion member %d (%s, %d frames, period %.1f)", m,
                    movement.label(), frames, period);
            MetricMeasureSpace space = MetricMeasureSpace.uniform(DenseMetricSpace.of(poseDistances(poses),
                    description));
            members.add(new Member(m, movement, period, phase, amplitude, scale, facing, poses, space));
        }
        return new Collection(options, members);
    }

    /**
     * The pose distance matrix of a sequence: {@code D_st = ‖c_s − c_t‖₂} for the rows of {@code poses}
     * ({@code frames × 3J}, x, y, z per joint) with each row's joint centroid subtracted.
     *
     * @throws IllegalArgumentException if the column count is not a positive multiple of 3
     */
    public static DMatrixRMaj poseDistances(DMatrixRMaj poses) {
        Require.nonNull(poses, "poses");
        int n = poses.numRows;
        int c = poses.numCols;
        if (c < 3 || c % 3 != 0) {
            throw new IllegalArgumentException("poses must have 3 columns per joint, got " + n + "x" + c);
        }
        int joints = c / 3;
        double[] centred = poses.data.clone();
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < 3; k++) {
                double mean = 0;
                for (int j = 0; j < joints; j++) {
                    mean += centred[t * c + 3 * j + k];
                }
                mean /= joints;
                for (int j = 0; j < joints; j++) {
                    centred[t * c + 3 * j + k] -= mean;
                }
            }
        }
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int s = 0; s < n; s++) {
            for (int t = s + 1; t < n; t++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    double diff = centred[s * c + k] - centred[t * c + k];
                    sum += diff * diff;
                }
                double v = Math.sqrt(sum);
                d.unsafe_set(s, t, v);
                d.unsafe_set(t, s, v);
            }
        }
        return d;
    }

    /** Header of {@code labels.csv}. */
    public static final String LABELS_HEADER = "file,movement,class,speed,period,phase,amplitude,frames";

    /**
     * Writes a collection into {@code dir} (created if needed): one {@code .npy} distance matrix per member
     * ({@code member-000.npy}, ..., float64, C order) and {@code labels.csv} ({@link #LABELS_HEADER}: file name,
     * movement label, class index, speed in cycles per frame, period in frames, phase in radians, amplitude factor,
     * frames), each file written atomically. Returns the file names written, {@code labels.csv} last.
     *
     * @throws UncheckedIOException if a file cannot be written
     */
    public static List<String> write(Collection collection, Path dir) {
        Require.nonNull(collection, "collection");
        Require.nonNull(dir, "dir");
        List<String> files = new ArrayList<>();
        StringBuilder csv = new StringBuilder(LABELS_HEADER).append('\n');
        try {
            Files.createDirectories(dir);
            for (Member m : collection.members()) {
                DistanceMatrices.write(dir.resolve(m.fileName()), m.space().space());
                files.add(m.fileName());
                csv.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%s,%s,%s,%d%n", m.fileName(), m.movement().label(),
                        m.movement().ordinal(), Double.toString(m.speed()), Double.toString(m.period()),
                        Double.toString(m.phase()), Double.toString(m.amplitude()), m.frames()));
            }
            AtomicFiles.write(dir.resolve("labels.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the collection to " + dir + ": " + e.getMessage(), e);
        }
        files.add("labels.csv");
        return files;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The body

    /** Bone lengths of the unit body (scale 1). */
    private static final double SPINE = 0.45;
    private static final double NECK_HEAD = 0.27;
    private static final double SHOULDER_HALF = 0.19;
    private static final double UPPER_ARM = 0.30;
    private static final double FOREARM = 0.27;
    private static final double HIP_HALF = 0.10;
    private static final double THIGH = 0.45;
    private static final double SHIN = 0.44;
    private static final double PELVIS_HEIGHT = 0.95;

    /** Joint angles in degrees: trunk lean, then per arm (L, R) abduction, flexion, elbow, per leg the same. */
    private record Angles(double lean, double[] shoulderAbduction, double[] shoulderFlexion, double[] elbow,
            double[] hipAbduction, double[] hipFlexion, double[] knee) {
    }

    /** The number of joint angles: lean, then shoulder abduction, flexion, elbow, hip abduction, flexion, knee. */
    private static final int ANGLES = 13;

    /**
     * Joint positions ({@code 3 × JOINTS}) of {@code movement} at phase angle {@code phi}, amplitude {@code a}, each
     * joint angle plus its offset ({@link #ANGLES}: lean, then left and right of each limb angle).
     */
    static double[] pose(Movement movement, double phi, double a, double[] offsets, double scale) {
        Angles g = angles(movement, phi, a);
        double[][] limbs = {g.shoulderAbduction(), g.shoulderFlexion(), g.elbow(), g.hipAbduction(), g.hipFlexion(),
            g.knee()};
        for (int k = 0; k < limbs.length; k++) {
            limbs[k][0] += offsets[1 + 2 * k];
            limbs[k][1] += offsets[2 + 2 * k];
        }
        return kinematics(new Angles(g.lean() + offsets[0], limbs[0], limbs[1], limbs[2], limbs[3], limbs[4],
                limbs[5]), scale);
    }

    private static Angles angles(Movement movement, double phi, double a) {
        double sin = Math.sin(phi);
        switch (movement) {
            case WALK -> {
                double swingL = 25 * a * sin;
                return new Angles(3,
                        new double[] {8, 8}, new double[] {-20 * a * sin, 20 * a * sin}, new double[] {20, 20},
                        new double[] {2, 2}, new double[] {swingL, -swingL},
                        new double[] {5 + 45 * a * bump(phi + 0.6), 5 + 45 * a * bump(phi + 0.6 + Math.PI)});
            }
            case JUMPING_JACKS -> {
                double s = (1 - Math.cos(phi)) / 2;
                double arms = 10 + 150 * a * s;
                double legs = 3 + 18 * a * s;
                double knee = 5 + 10 * a * s;
                return new Angles(0, new double[] {arms, arms}, new double[] {0, 0}, new double[] {10, 10},
                        new double[] {legs, legs}, new double[] {0, 0}, new double[] {knee, knee});
            }
            case ARM_WAVE -> {
                double shoulder = 140 + 12 * a * Math.sin(2 * phi);
                double elbow = 45 + 35 * a * sin;
                return new Angles(0, new double[] {10 + 4 * a * sin, shoulder}, new double[] {0, 5},
                        new double[] {10, elbow}, new double[] {3, 3}, new double[] {0, 0}, new double[] {4, 4});
            }
            case SQUAT -> {
                double s = smoothstep(smoothstep((1 - Math.cos(phi)) / 2));
                double hip = 5 + 95 * a * s;
                double knee = 5 + 110 * a * s;
                double arms = 10 + 80 * a * s;
                return new Angles(35 * a * s, new double[] {8, 8}, new double[] {arms, arms}, new double[] {10, 10},
                        new double[] {6, 6}, new double[] {hip, hip}, new double[] {knee, knee});
            }
            case KICK -> {
                double left = Math.pow(Math.max(0, sin), 3);
                double right = Math.pow(Math.max(0, -sin), 3);
                double chamber2 = Math.max(0, Math.sin(2 * phi));
                double kneeL = 5 + 50 * a * (sin > 0 ? chamber2 : 0);
                double kneeR = 5 + 50 * a * (sin < 0 ? Math.max(0, Math.sin(2 * phi - Math.PI)) : 0);
                return new Angles(-10 * a * (left + right), new double[] {20, 20}, new double[] {40, 40},
                        new double[] {100, 100}, new double[] {3, 3}, new double[] {75 * a * left, 75 * a * right},
                        new double[] {kneeL, kneeR});
            }
            default -> throw new IllegalStateException("unknown movement " + movement);
        }
    }

    private static double bump(double x) {
        double s = Math.max(0, Math.sin(x));
        return s * s;
    }

    private static double smoothstep(double x) {
        double c = Math.max(0, Math.min(1, x));
        return c * c * (3 - 2 * c);
    }

    /** Forward kinematics: the 15 joint positions, x, y, z each. */
    private static double[] kinematics(Angles g, double scale) {
        double[] out = new double[3 * JOINTS];
        double[] pelvis = {0, 0, PELVIS_HEIGHT};
        // upper body: upright in the trunk frame, then leaned forward (towards +y) about the pelvis
        double lean = Math.toRadians(g.lean());
        double[] up = {0, Math.sin(lean), Math.cos(lean)};
        double[] chest = add(pelvis, scale(up, SPINE));
        double[] head = add(chest, scale(up, NECK_HEAD));
        set(out, 0, pelvis);
        set(out, 1, chest);
        set(out, 2, head);
        for (int side = 0; side < 2; side++) {
            double sx = side == 0 ? -1 : 1;
            double[] shoulder = add(chest, new double[] {sx * SHOULDER_HALF, 0, 0});
            double[][] arm = limb(sx, g.shoulderAbduction()[side], g.shoulderFlexion()[side] + g.lean(),
                    g.elbow()[side], UPPER_ARM, FOREARM, true);
            double[] elbow = add(shoulder, arm[0]);
            double[] wrist = add(elbow, arm[1]);
            set(out, 3 + 3 * side, shoulder);
            set(out, 4 + 3 * side, elbow);
            set(out, 5 + 3 * side, wrist);
            double[] hip = add(pelvis, new double[] {sx * HIP_HALF, 0, 0});
            double[][] leg = limb(sx, g.hipAbduction()[side], g.hipFlexion()[side], g.knee()[side], THIGH, SHIN,
                    false);
            double[] knee = add(hip, leg[0]);
            double[] ankle = add(knee, leg[1]);
            set(out, 9 + 3 * side, hip);
            set(out, 10 + 3 * side, knee);
            set(out, 11 + 3 * side, ankle);
        }
        for (int k = 0; k < out.length; k++) {
            out[k] *= scale;
        }
        return out;
    }

    /**
     * The two bones of a limb hanging from its root: the upper bone starts pointing down, is abducted sideways
     * (towards {@code sx}) then flexed forward (about the x axis); the lower bone bends from it towards the flexed
     * front (arms, elbow) or away from it (legs, knee).
     */
    private static double[][] limb(double sx, double abduction, double flexion, double bend, double upper,
            double lower, boolean forward) {
        double ab = Math.toRadians(abduction);
        double fl = Math.toRadians(flexion);
        double be = Math.toRadians(bend);
        double[] u = rotateX(new double[] {sx * Math.sin(ab), 0, -Math.cos(ab)}, fl);
        double[] f = rotateX(new double[] {0, 1, 0}, fl); // orthogonal to u
        double sign = forward ? 1 : -1;
        double[] v = add(scale(u, Math.cos(be)), scale(f, sign * Math.sin(be)));
        return new double[][] {scale(u, upper), scale(v, lower)};
    }

    /** Rotation about the x axis taking −z towards +y by {@code angle}. */
    private static double[] rotateX(double[] p, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {p[0], c * p[1] - s * p[2], s * p[1] + c * p[2]};
    }

    private static void set(double[] out, int joint, double[] p) {
        out[3 * joint] = p[0];
        out[3 * joint + 1] = p[1];
        out[3 * joint + 2] = p[2];
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] scale(double[] a, double f) {
        return new double[] {a[0] * f, a[1] * f, a[2] * f};
    }
}
