package org.imagepipeline;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering the build enforces on pipeline-core's main classes: no package depends on itself
 * through others, and the pure logic (images, degradations, settings, network definitions, the
 * metrics and the tiling) never touches Spark or Hadoop, so it stays unit-testable in
 * milliseconds. The same rules are run on planted violations (test package {@code archfixture})
 * to prove they fail, naming the classes.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.imagepipeline");

    /** Each top-level package under {@code root} is a slice; no slice may reach itself again. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** The pure packages and classes under {@code root} import nothing of Spark, Hadoop or Scala. */
    static ArchRule pureLogicWithoutSpark(String root) {
        DescribedPredicate<JavaClass> pure = resideInAnyPackage(root + ".image..", root + ".augment..", root + ".config..",
                root + ".model..")
                .or(resideInAnyPackage(root + ".eval..").and(simpleNameStartingWith("Metric")))
                .or(resideInAnyPackage(root + ".restore..").and(simpleNameStartingWith("Til")))
                .as("the pure logic (image, augment, config, model, eval's Metric*, restore's Til*)");
        return noClasses().that(pure).should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..")
                .because("pure logic must run and be tested without Spark or Hadoop");
    }

    @Test
    void packagesHaveNoCycles() {
        noPackageCycles("org.imagepipeline").check(MAIN);
    }

    @Test
    void pureLogicImportsNeitherSparkNorHadoop() {
        pureLogicWithoutSpark("org.imagepipeline").check(MAIN);
    }

    @Test
    void theRulesSeeEveryPackage() {
        // A rule over nothing passes by itself: make sure the import found the packages it guards.
        for (String p : new String[] {"image", "augment", "config", "model", "eval", "restore", "train", "restoration", "gan"}) {
            assertTrue(MAIN.containPackage("org.imagepipeline." + p), "no classes imported from org.imagepipeline." + p);
        }
    }

    @Test
    void plantedCycleAndSparkImportFailNamingTheClasses() {
        JavaClasses planted = new ClassFileImporter().importPackages("archfixture");
        EvaluationResult cycles = noPackageCycles("archfixture").evaluate(planted);
        assertTrue(cycles.hasViolation(), "the planted gan <-> train cycle was not found");
        String cycleReport = cycles.getFailureReport().toString();
        assertTrue(cycleReport.contains("archfixture.gan.GanUsesTrain") && cycleReport.contains("archfixture.train.TrainUsesGan"),
                cycleReport);

        EvaluationResult spark = pureLogicWithoutSpark("archfixture").evaluate(planted);
        assertTrue(spark.hasViolation(), "the planted Spark import in archfixture.config was not found");
        String sparkReport = spark.getFailureReport().toString();
        assertTrue(sparkReport.contains("archfixture.config.SparkInConfig") && sparkReport.contains("org.apache.spark.SparkConf"),
                sparkReport);
        assertFalse(sparkReport.contains("GanUsesTrain"), "classes outside the pure packages were reported: " + sparkReport);
    }
}
