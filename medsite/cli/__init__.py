"""The `medsite` command and its subcommands (medsite.cli.commands), each as thin as a hook."""
