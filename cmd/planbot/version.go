package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3");
// otherwise the version comes from the module build information.
var buildVersion string

// version prints the program's version, its source revision when known, and the Go release.
func version(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(fs.Args()) > 0 {
		return fmt.Errorf("version: unexpected arguments %q", fs.Args())
	}
	v, rev := buildVersion, ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
		}
	}
	if v == "" {
		v = "devel"
	}
	if _, err := fmt.Fprintf(stdout, "planbot %s%s %s\n", v, rev, runtime.Version()); err != nil {
		return fmt.Errorf("version: write: %w", err)
	}
	return nil
}
