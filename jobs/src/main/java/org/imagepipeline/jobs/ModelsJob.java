package org.imagepipeline.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.imagepipeline.config.PipelineSettings;
import org.imagepipeline.registry.Champion;
import org.imagepipeline.registry.ModelRegistry;
import org.imagepipeline.registry.ModelVersion;
import org.imagepipeline.registry.RegistryException;
import org.imagepipeline.spark.Sessions;
import org.imagepipeline.store.CheckpointStore;
import org.imagepipeline.store.RunDir;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/** The model registry from the command line: list, show, register, promote, rollback. Starts no Spark. */
final class ModelsJob implements Job {
    @Override public String name() { return "models"; }

    @Override public String summary() { return "the model registry: list, show, register, promote, rollback"; }

    @Override public String help() {
        return """
                pipeline models list                    models, their versions and champions
                pipeline models show NAME               the versions' metrics side by side, and the champion history
                pipeline models register NAME [CKPT]    registers a committed checkpoint as the next version
                                                        (default: the best checkpoint of run.id)
                pipeline models promote NAME@VERSION    makes a version the champion; fails, changing nothing,
                                                        if the champion changed concurrently
                pipeline models rollback NAME           returns the champion to the one before it

                The registry is at pipeline.registry.root (default <run.root>/registry), on any Hadoop path.
                Jobs take a model as NAME (its champion), NAME@VERSION or a checkpoint path (eval.checkpoint).""";
    }

    @Override public void run(PipelineSettings s, List<String> args) {
        if (args.isEmpty()) throw new UserError("models needs a command: list, show, register, promote, rollback (see pipeline models --help)");
        Configuration conf = Sessions.hadoopConfiguration(s.spark(), s.storage());
        ModelRegistry registry = new ModelRegistry(s.registry(), conf);
        try {
            switch (args.get(0)) {
                case "list" -> list(registry);
                case "show" -> show(registry, arg(args, 1, "show NAME"));
                case "register" -> {
                    String name = arg(args, 1, "register NAME [CHECKPOINT]");
                    Path ckpt = args.size() > 2 ? ModelRegistry.resolve(args.get(2), s.registry(), conf) : bestOfRun(s, conf);
                    ModelVersion v = registry.register(name, ckpt, s.catalogDir());
                    System.out.printf("registered %s: %s (catalog %s, config %s, code %s)%n", v.ref(), v.checkpoint(),
                            v.catalogSnapshot(), v.configHash(), v.codeVersion());
                }
                case "promote" -> {
                    String ref = arg(args, 1, "promote NAME@VERSION");
                    int at = ref.indexOf('@');
                    if (at < 1 || !ref.substring(at + 1).matches("\\d{1,9}")) {
                        throw new UserError("promote needs NAME@VERSION, e.g. denoiser@3; got '" + ref + "'");
                    }
                    Champion c = registry.promote(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1)));
                    System.out.printf("champion of %s: version %d (history entry %d)%n", c.name(), c.version(), c.seq());
                }
                case "rollback" -> {
                    Champion c = registry.rollback(arg(args, 1, "rollback NAME"));
                    System.out.printf("champion of %s rolled back to version %d (history entry %d)%n", c.name(), c.version(), c.seq());
                }
                default -> throw new UserError("Unknown models command '" + args.get(0) + "': expected list, show, register, promote or rollback");
            }
        } catch (RegistryException | IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static String arg(List<String> args, int i, String usage) {
        if (args.size() <= i) throw new UserError("usage: pipeline models " + usage);
        return args.get(i);
    }

    private static Path bestOfRun(PipelineSettings s, Configuration conf) {
        if (s.run().id().isEmpty()) throw new UserError("Give the checkpoint to register, or run.id=<id> to register that run's best");
        RunDir run = new RunDir(s.run().root(), s.run().id(), conf);
        return new CheckpointStore(run.checkpoints(), conf).best();
    }

    private static void list(ModelRegistry registry) {
        List<String> models = registry.models();
        if (models.isEmpty()) {
            System.out.println("no models in " + registry.root());
            return;
        }
        for (String m : models) {
            Optional<Champion> champion = registry.champion(m);
            System.out.printf("%s  (champion: %s)%n", m, champion.map(c -> "version " + c.version()).orElse("none"));
            for (ModelVersion v : registry.versions(m)) {
                boolean isChampion = champion.isPresent() && champion.get().version() == v.version();
                System.out.printf("  %s %-4d %s  val_psnr %s  test_psnr %s  %s%n", isChampion ? "*" : " ", v.version(), v.created(),
                        fmt(v.metrics().get("val_psnr")), fmt(v.metrics().get("test_psnr")), v.checkpoint());
            }
        }
    }

    private static void show(ModelRegistry registry, String name) {
        List<ModelVersion> versions = registry.versions(name);
        if (versions.isEmpty()) throw new UserError("No model '" + name + "' in " + registry.root());
        Optional<Champion> champion = registry.champion(name);
        StringBuilder header = new StringBuilder(String.format("%-20s", "version"));
        for (ModelVersion v : versions) {
            boolean isChampion = champion.isPresent() && champion.get().version() == v.version();
            header.append(String.format(" %18s", v.version() + (isChampion ? " (champion)" : "")));
        }
        System.out.println(name);
        System.out.println(header);
        TreeSet<String> keys = new TreeSet<>();
        versions.forEach(v -> keys.addAll(v.metrics().keySet()));
        for (String k : keys) row(k, versions, v -> fmt(v.metrics().get(k)));
        row("catalog", versions, ModelVersion::catalogSnapshot);
        row("config hash", versions, ModelVersion::configHash);
        for (ModelVersion v : versions) {
            System.out.printf("version %d: created %s, code %s, checkpoint %s%n", v.version(), v.created(), v.codeVersion(), v.checkpoint());
        }
        for (Champion c : registry.history(name)) {
            System.out.printf("champion history %d: %s version %d at %s%n", c.seq(), c.action(), c.version(), c.created());
        }
    }

    private static void row(String label, List<ModelVersion> versions, Function<ModelVersion, String> cell) {
        StringBuilder row = new StringBuilder(String.format("%-20s", label));
        for (ModelVersion v : versions) row.append(String.format(" %18s", cell.apply(v)));
        System.out.println(row);
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format("%.4f", d);
    }
}
