//! `revoscope companion [install|uninstall]`: the flags as clap sees them,
//! and what they mean once parsed.

use clap::{Args, Subcommand};

use super::values;
use super::Command;
use crate::companion::browser::Browser;
use crate::companion::install::{InstallArgs, Scope, UninstallArgs};
use crate::companion::CompanionArgs;
use crate::CliError;

#[derive(Debug, Args)]
pub struct Companion {
    #[command(subcommand)]
    pub command: Option<CompanionCommand>,
    /// Let probes reach loopback, private and link-local addresses
    #[arg(long)]
    pub allow_private: bool,
}

#[derive(Debug, Subcommand)]
pub enum CompanionCommand {
    /// Register the companion with the browsers (a host manifest and a wrapper script)
    Install(Install),
    /// Remove what install wrote
    Uninstall(Uninstall),
}

#[derive(Debug, Args)]
pub struct Install {
    #[command(flatten)]
    pub target: Target,
    /// The wrapper starts the companion with --allow-private
    #[arg(long)]
    pub allow_private: bool,
}

#[derive(Debug, Args)]
pub struct Uninstall {
    #[command(flatten)]
    pub target: Target,
}

#[derive(Debug, Args)]
pub struct Target {
    /// Only this browser; default: firefox, chromium and chrome
    #[arg(long, value_name = "firefox|chromium|chrome", value_parser = values::browser())]
    pub browser: Option<Browser>,
    /// For this user, under $HOME (the default)
    #[arg(long, conflicts_with = "system")]
    pub user: bool,
    /// For every user of the machine (needs root)
    #[arg(long)]
    pub system: bool,
}

pub(super) fn command(flags: Companion) -> Result<Command, CliError> {
    Ok(match flags.command {
        None => Command::Companion(CompanionArgs {
            allow_private: flags.allow_private,
        }),
        Some(_) if flags.allow_private => {
            return Err(CliError::usage(
                "--allow-private goes after install (companion install --allow-private)",
            ))
        }
        Some(CompanionCommand::Install(install)) => {
            let (browsers, scope) = target(&install.target);
            Command::CompanionInstall(InstallArgs {
                browsers,
                scope,
                allow_private: install.allow_private,
            })
        }
        Some(CompanionCommand::Uninstall(uninstall)) => {
            let (browsers, scope) = target(&uninstall.target);
            Command::CompanionUninstall(UninstallArgs { browsers, scope })
        }
    })
}

fn target(flags: &Target) -> (Vec<Browser>, Scope) {
    let browsers = flags.browser.map_or(Browser::ALL.to_vec(), |b| vec![b]);
    let scope = if flags.system {
        Scope::System
    } else {
        Scope::User
    };
    (browsers, scope)
}
