package org.imagepipeline.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which NVIDIA GPUs the pipeline's CUDA build can run on, and the verdict for the GPUs of this
 * machine as {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader} lists them.
 *
 * <p>The only CUDA backend for DL4J 1.0.0-M2.1, {@code nd4j-cuda-11.6}, ships machine code for
 * the compute capabilities in {@link #SUPPORTED} and no PTX, so the driver cannot compile its
 * kernels for any other GPU: Ada (8.9: L4, L40, RTX 40), Hopper (9.0: H100, H200) and newer fail
 * at the first kernel launch. This class says so before anything is built or loaded.
 *
 * <p>It depends on the JDK only, so {@code deploy/gpu-check} runs it straight from its source
 * file ({@code java GpuSupport.java -}, reading nvidia-smi's lines from standard input) before
 * any Maven build; the {@code gpu-check} job uses it from the jar. The supported list lives here
 * and nowhere else.
 */
public final class GpuSupport {

    /** Compute capabilities with machine code in the released nd4j-cuda-11.6 1.0.0-M2.1 natives. */
    public static final List<String> SUPPORTED = List.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0", "8.6");

    /** GPU families of each supported capability, for messages and the deploy docs. */
    public static final String SUPPORTED_EXAMPLES =
            "3.7 Tesla K80; 5.0/5.2 Maxwell (e.g. Tesla M40, M60); 6.0 Tesla P100; 6.1 Tesla P4/P40, GTX 10; "
                    + "7.0 Tesla V100; 7.5 T4, RTX 20, Quadro RTX; 8.0 A100, A30; 8.6 A10, A40, A2, RTX 30, RTX A-series";

    /** The command whose output {@link #assess(List)} reads. */
    public static final List<String> NVIDIA_SMI_QUERY =
            List.of("nvidia-smi", "--query-gpu=name,compute_cap", "--format=csv,noheader");

    private static final Pattern CAPABILITY = Pattern.compile("(\\d+)\\.(\\d+)");

    private GpuSupport() {
    }

    /**
     * One GPU as nvidia-smi reports it.
     *
     * @param index      position in nvidia-smi's list (its device index)
     * @param name       the product name, e.g. "Tesla V100-SXM2-16GB"
     * @param capability the compute capability as "major.minor", e.g. "7.0"
     */
    public record Device(int index, String name, String capability) {
        /** Whether the released CUDA backend has machine code for this GPU. */
        public boolean supported() {
            return isSupported(capability);
        }

        @Override
        public String toString() {
            return "GPU " + index + " \"" + name + "\" (compute capability " + capability + ")";
        }
    }

    /** What the check concluded; {@link #exitCode()} is what {@code deploy/gpu-check} exits with. */
    public enum Verdict {
        /** Every GPU has kernels in the CUDA backend. */
        SUPPORTED(0),
        /** nvidia-smi listed no GPU. */
        NO_GPU(2),
        /** nvidia-smi's output could not be read as name,compute_cap lines. */
        UNREADABLE(2),
        /** At least one GPU has a compute capability that the CUDA backend has no kernels for. */
        UNSUPPORTED(3);

        private final int exitCode;

        Verdict(int exitCode) {
            this.exitCode = exitCode;
        }

        /** 0 supported, 2 nothing usable found or unreadable, 3 unsupported GPU. */
        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * The outcome for one machine.
     *
     * @param verdict what was concluded
     * @param devices the GPUs read (empty for {@link Verdict#NO_GPU} and {@link Verdict#UNREADABLE})
     * @param message full sentences for a person: the devices, and on failure why and what works
     */
    public record Assessment(Verdict verdict, List<Device> devices, String message) {
        public Assessment {
            devices = List.copyOf(devices);
        }

        /** Whether the CUDA build can run on every GPU listed. */
        public boolean ok() {
            return verdict == Verdict.SUPPORTED;
        }
    }

    /** Whether {@code capability} ("major.minor", surrounding blanks allowed) is in {@link #SUPPORTED}. */
    public static boolean isSupported(String capability) {
        return capability != null && SUPPORTED.contains(capability.strip());
    }

    /**
     * Reads one line of {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader},
     * e.g. {@code "NVIDIA H100 80GB HBM3, 9.0"}. The capability is the last comma-separated field,
     * so a name that contains a comma still reads correctly.
     *
     * @throws IllegalArgumentException when the line is not "name, major.minor"
     */
    public static Device parseLine(int index, String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("Line " + (index + 1) + " of nvidia-smi's output is empty, but a line "
                    + "\"<name>, <major>.<minor>\" was expected.");
        }
        int comma = line.lastIndexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("Line " + (index + 1) + " of nvidia-smi's output, \"" + line.strip()
                    + "\", has no comma, but a line \"<name>, <major>.<minor>\" such as \"Tesla V100-SXM2-16GB, 7.0\" was expected.");
        }
        String name = line.substring(0, comma).strip();
        String cap = line.substring(comma + 1).strip();
        Matcher m = CAPABILITY.matcher(cap);
        if (name.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("Line " + (index + 1) + " of nvidia-smi's output, \"" + line.strip()
                    + "\", does not end in a compute capability \"<major>.<minor>\" after a GPU name (it read name \""
                    + name + "\", capability \"" + cap + "\"); nvidia-smi from drivers too old to report compute_cap "
                    + "print an error or [N/A] there.");
        }
        // Normalise "08.06" or "8.6" alike.
        String normal = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
        return new Device(index, name, normal);
    }

    /**
     * The verdict for nvidia-smi's output lines (blank lines are ignored). Pure: reads nothing
     * but its argument.
     */
    public static Assessment assess(List<String> csvLines) {
        List<String> lines = csvLines.stream().filter(l -> l != null && !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return new Assessment(Verdict.NO_GPU, List.of(), "nvidia-smi listed no GPU, so there is nothing the CUDA "
                    + "build could run on; run the check on a machine with an NVIDIA GPU of compute capability "
                    + supportedList() + ".");
        }
        List<Device> devices = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                devices.add(parseLine(i, lines.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return new Assessment(Verdict.UNREADABLE, List.of(), "nvidia-smi's output could not be read: "
                    + String.join(" ", problems));
        }
        List<Device> bad = devices.stream().filter(d -> !d.supported()).toList();
        String all = devices.stream().map(Device::toString).collect(Collectors.joining(", "));
        if (bad.isEmpty()) {
            return new Assessment(Verdict.SUPPORTED, devices, "Supported: " + all + (devices.size() == 1 ? " has" : " have")
                    + " kernels in the nd4j-cuda-11.6 1.0.0-M2.1 backend.");
        }
        String badList = bad.stream().map(Device::toString).collect(Collectors.joining(", "));
        String message = "Unsupported: " + badList + (bad.size() == 1 ? " is" : " are")
                + " not supported by the CUDA build. The released ND4J CUDA backend (nd4j-cuda-11.6 1.0.0-M2.1, the only "
                + "one for DL4J 1.0.0-M2.1) contains machine code for compute capabilities " + supportedList()
                + " only, and no PTX that the driver could compile for a newer GPU, so its kernels cannot run on "
                + (bad.size() == 1 ? "this device" : "these devices") + ". Supported GPUs: " + SUPPORTED_EXAMPLES
                + ". Use such a GPU, or the CPU build (the default Maven profile).";
        if (bad.size() < devices.size()) {
            message += " The other GPUs are supported (" + devices.stream().filter(Device::supported)
                    .map(Device::toString).collect(Collectors.joining(", "))
                    + "); hide the unsupported ones with CUDA_VISIBLE_DEVICES to use only those.";
        }
        return new Assessment(Verdict.UNSUPPORTED, devices, message);
    }

    /** The supported capabilities, comma separated, e.g. "3.7, 5.0, ... 8.6". */
    public static String supportedList() {
        return String.join(", ", SUPPORTED);
    }

    /**
     * Runs {@link #NVIDIA_SMI_QUERY} on this machine and assesses its output. A missing
     * nvidia-smi or one that fails (no driver loaded, no GPU) gives {@link Verdict#NO_GPU} with
     * nvidia-smi's own words in the message.
     */
    public static Assessment probe() {
        Process p;
        try {
            p = new ProcessBuilder(NVIDIA_SMI_QUERY).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Assessment(Verdict.NO_GPU, List.of(), "nvidia-smi could not be run (" + e.getMessage()
                    + "), so this machine has no usable NVIDIA driver; the CUDA build needs one and a GPU of compute capability "
                    + supportedList() + ".");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Assessment(Verdict.NO_GPU, List.of(), "nvidia-smi did not finish within 60 seconds.");
            }
        } catch (IOException e) {
            return new Assessment(Verdict.UNREADABLE, List.of(), "nvidia-smi's output could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Assessment(Verdict.UNREADABLE, List.of(), "Interrupted while waiting for nvidia-smi.");
        }
        if (p.exitValue() != 0) {
            return new Assessment(Verdict.NO_GPU, List.of(), "nvidia-smi failed with exit status " + p.exitValue()
                    + ": " + String.join(" ", lines).strip() + " (no GPU, no driver loaded, or a driver too old to report compute_cap).");
        }
        return assess(lines);
    }

    /**
     * Prints the verdict and exits with {@link Verdict#exitCode()}. With {@code -} it reads
     * nvidia-smi's lines from standard input, with {@code --list} it prints the supported
     * capabilities one per line, and without arguments it runs nvidia-smi itself.
     */
    public static void main(String[] args) throws IOException {
        Assessment a;
        if (args.length == 1 && args[0].equals("--list")) {
            SUPPORTED.forEach(System.out::println);
            return;
        } else if (args.length == 1 && args[0].equals("-")) {
            List<String> lines = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
            a = assess(lines);
        } else if (args.length == 0) {
            a = probe();
        } else {
            System.err.println("usage: GpuSupport [- | --list]   (-: read nvidia-smi's name,compute_cap lines from stdin)");
            System.exit(2);
            return;
        }
        (a.ok() ? System.out : System.err).println(a.message());
        System.exit(a.verdict().exitCode());
    }
}
