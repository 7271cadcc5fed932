# Sourced by the scripts in scripts/: builds target/dragonfly-mle.jar when it is missing or
# older than the sources, and reads the JVM module flags Flink needs on Java 17 from pom.xml.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar="$here/target/dragonfly-mle.jar"

ensure_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "dragonfly-mle: building $jar (the first build downloads dependencies and takes a few minutes)" >&2
    (cd "$here" && mvn -B -q -DskipTests -Dspotless.check.skip=true package) >&2
  fi
}

jvm_opens=$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$here/pom.xml")
