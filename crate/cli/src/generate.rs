//! `revoscope completions SHELL` and `revoscope man`: what clap knows of
//! the command line, as a shell completion script (clap_complete) and as
//! manual pages in roff (clap_mangen).

use std::io;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap_complete::Shell;
use clap_mangen::Man;

use super::args::flags::Cli;
use super::help;
use super::{print, CliError, Exit};

/// Prints the completion script of `shell`.
pub fn completions(shell: Shell) -> Result<Exit, CliError> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "revoscope", &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Clear)
}

/// Prints revoscope(1); with `dir`, writes it and one page per command
/// (revoscope-onecrl-sync.1...) there instead, and prints their paths.
pub fn man(dir: Option<&Path>) -> Result<Exit, CliError> {
    let mut command = Cli::command();
    // Names each subcommand's page after its path: revoscope-onecrl-sync.
    command.build();
    let Some(dir) = dir else {
        let page = main_page(&command)
            .map_err(|e| CliError::input(format!("cannot render the manual page: {e}")))?;
        print(&String::from_utf8_lossy(&page))?;
        return Ok(Exit::Clear);
    };
    let cannot = |e: io::Error| CliError::input(format!("--dir {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let main = dir.join(Man::new(command.clone()).get_filename());
    std::fs::write(&main, main_page(&command).map_err(cannot)?).map_err(cannot)?;
    let mut written = vec![main];
    for sub in command.get_subcommands() {
        write_pages(sub, dir, &mut written).map_err(cannot)?;
    }
    written.sort();
    let list: String = written
        .iter()
        .map(|p| format!("{}\n", p.display()))
        .collect();
    print(&list)?;
    Ok(Exit::Clear)
}

/// revoscope(1): clap_mangen's sections, then every command's usage and
/// the exit statuses, as `--help` gives them.
fn main_page(command: &clap::Command) -> io::Result<Vec<u8>> {
    let man = Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    verbatim_section(&mut page, "USAGE", &help::synopsis());
    let exit_status = help::EXIT_STATUS
        .split_once('\n')
        .map_or(help::EXIT_STATUS, |(_, rest)| rest);
    verbatim_section(&mut page, "EXIT STATUS", exit_status);
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// A section of preformatted lines (`.nf`): the help's columns stay put.
fn verbatim_section(page: &mut Vec<u8>, title: &str, text: &str) {
    page.extend_from_slice(format!(".SH \"{title}\"\n.nf\n").as_bytes());
    for line in text.lines() {
        let line = line.replace('\\', "\\e").replace('-', "\\-");
        // A line that starts with a control character would be a request.
        let guard = if line.starts_with(['.', '\'']) {
            "\\&"
        } else {
            ""
        };
        page.extend_from_slice(format!("{guard}{line}\n").as_bytes());
    }
    page.extend_from_slice(b".fi\n");
}

/// A page for `command` and, recursively, for each of its subcommands.
fn write_pages(command: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> io::Result<()> {
    for sub in command.get_subcommands() {
        write_pages(sub, dir, written)?;
    }
    written.push(Man::new(command.clone()).generate_to(dir)?);
    Ok(())
}
