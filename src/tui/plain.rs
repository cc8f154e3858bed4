//! Plain mode (`interview --plain`, or `TERM=dumb`): the same questions, branching and outputs
//! as numbered line prompts, for screen readers and pipes. It reads lines from any `BufRead`
//! and writes to any `Write`, needs no terminal, and ends cleanly at end of input.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use super::app::EstateOrigins;
use super::autosave::{self, Position};
use super::export::{self, Purpose};
use super::flow::{Interview, choice_ids, display_value};
use crate::answers::{AnswerValue, Given, text_rule};
use crate::failure::Failure;
use crate::knowledge::KnowledgeBase;
use crate::knowledge::model::{Question, QuestionKind, TextKind};
use crate::output::{WriteError, write_file};
use crate::render;
use crate::sanitize::strip_controls;

pub struct PlainOptions {
    /// Where to autosave; `None` turns autosave off (pipes: the input is the script).
    pub data_dir: Option<PathBuf>,
    /// Resume the autosave (`--resume`).
    pub resume: bool,
    /// Why autosave is off although a data folder exists (another interview holds it).
    pub autosave_busy: Option<String>,
    /// Ask whether to resume when an autosave exists (interactive use without `--new`).
    pub offer_resume: bool,
    /// Repeat each line read after its prompt, so a transcript of piped input reads like a
    /// conversation (a terminal echoes typed lines itself).
    pub echo: bool,
    /// Answers pre-filled from a deployed estate (`--estate`), by question: the value the
    /// estate gave and where it was read, so the question says so.
    pub estate_origins: EstateOrigins,
}

enum Reply {
    Line(String),
    Eof,
}

struct Session<'kb, R, W> {
    interview: Interview<'kb>,
    input: R,
    out: W,
    data_dir: Option<PathBuf>,
    echo: bool,
    estate_origins: EstateOrigins,
}

/// The longest input line read; no answer or file name needs more. The rest is dropped.
const MAX_LINE_BYTES: u64 = 4096;
/// Past this many bytes without a line end the input is not line text.
const MAX_SKIP_BYTES: u64 = 1024 * 1024;

/// Why the interview stopped early: a failure to report, or standard output closed (`| head`),
/// which ends it quietly like any other command.
enum Stop {
    Failed(Failure),
    Closed,
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Failed(failure)
    }
}

fn io_failure(error: std::io::Error) -> Stop {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        Stop::Closed
    } else {
        Stop::Failed(Failure::Io(format!("cannot write to standard output: {error}")))
    }
}

impl<'kb, R: BufRead, W: Write> Session<'kb, R, W> {
    fn say(&mut self, text: &str) -> Result<(), Stop> {
        writeln!(self.out, "{text}").map_err(io_failure)
    }

    fn ask(&mut self, prompt: &str) -> Result<Reply, Stop> {
        write!(self.out, "{prompt}").map_err(io_failure)?;
        self.out.flush().map_err(io_failure)?;
        let mut bytes = Vec::new();
        match self.input.by_ref().take(MAX_LINE_BYTES).read_until(b'\n', &mut bytes) {
            Ok(0) => {
                writeln!(self.out).map_err(io_failure)?;
                Ok(Reply::Eof)
            }
            Ok(read) => {
                if read as u64 == MAX_LINE_BYTES && !bytes.ends_with(b"\n") {
                    // The rest of an over-long line is dropped; input with no line end in
                    // sight (`< /dev/zero`) is not an answer at all and ends the interview.
                    let skipped = self.input.by_ref().take(MAX_SKIP_BYTES).skip_until(b'\n').unwrap_or(0);
                    if skipped as u64 >= MAX_SKIP_BYTES {
                        writeln!(
                            self.out,
                            "\n(an input line is longer than 1 MiB; treating it as the end of input)"
                        )
                        .map_err(io_failure)?;
                        return Ok(Reply::Eof);
                    }
                }
                // A cut may split a character; it is shown replaced, and the answer refused.
                let line = strip_controls(String::from_utf8_lossy(&bytes).trim());
                if self.echo {
                    writeln!(self.out, "{line}").map_err(io_failure)?;
                }
                Ok(Reply::Line(line))
            }
            // Unreadable input (not UTF-8, a closed terminal) ends the interview like EOF.
            Err(_) => Ok(Reply::Eof),
        }
    }

    fn autosave(&mut self, position: &Position) {
        if let Some(dir) = &self.data_dir
            && let Err(message) = autosave::save(dir, self.interview.kb, self.interview.given(), position)
        {
            let _ = writeln!(self.out, "(autosave failed: {message}; continuing without it)");
            self.data_dir = None;
        }
    }
}

/// Runs the plain interview from `given` (preloaded answers, or empty).
pub fn run<R: BufRead, W: Write>(
    kb: &KnowledgeBase,
    given: Option<Given>,
    input: R,
    out: W,
    options: PlainOptions,
) -> Result<(), Failure> {
    match interview(kb, given, input, out, options) {
        Ok(()) | Err(Stop::Closed) => Ok(()),
        Err(Stop::Failed(failure)) => Err(failure),
    }
}

fn interview<R: BufRead, W: Write>(
    kb: &KnowledgeBase,
    given: Option<Given>,
    input: R,
    out: W,
    options: PlainOptions,
) -> Result<(), Stop> {
    let mut session = Session {
        interview: Interview::new(kb, given.clone().unwrap_or_default()),
        input,
        out,
        data_dir: options.data_dir.clone(),
        echo: options.echo,
        estate_origins: options.estate_origins.clone(),
    };
    session.say(&format!(
        "aml-advisor interview, plain mode (about {} questions: only those that apply are asked; knowledge base {}).\n\
         Answer each question with a choice number or id and press Enter; an empty line takes the default.\n\
         Multi-select: several numbers or ids separated by commas or spaces, `none` for none.\n\
         Type `?` for an explanation, `back` for the previous question, `quit` to stop.",
        Interview::likely_count(kb),
        kb.meta.version
    ))?;
    if let Some(busy) = &options.autosave_busy {
        session.say(&format!(
            "Autosave is off: {busy}. Save this interview's answers to a file at the end."
        ))?;
    }
    let mut start = session.interview.first_applicable();
    // Resumed in the middle of an edit from the review: the other answers were already
    // reviewed, so only questions still without an answer follow the edited one.
    let mut editing = false;
    if given.is_none()
        && let Some(dir) = options.data_dir.clone()
        && (options.resume || options.offer_resume)
    {
        match autosave::load(&dir, kb) {
            Ok(Some(saved)) => {
                let resume = options.resume || {
                    let question = format!(
                        "An interview was autosaved with {} answers. Resume it? [Y/n]: ",
                        saved.given.0.len()
                    );
                    match session.ask(&question)? {
                        Reply::Line(line) => !line.to_lowercase().starts_with('n'),
                        Reply::Eof => false,
                    }
                };
                if resume {
                    editing = matches!(saved.position, Position::Editing(_));
                    session.interview = Interview::new(kb, saved.given);
                    start = match saved.position.question() {
                        Some(id) => kb
                            .question_position(id)
                            .filter(|&index| session.interview.is_applicable(index))
                            .or_else(|| session.interview.first_unanswered_after(None)),
                        None => None,
                    };
                }
            }
            Ok(None) if options.resume => session.say("No autosaved interview to resume; starting a new one.")?,
            Ok(None) => {}
            Err(problem) => session.say(&format!("The autosave cannot be resumed: {problem}"))?,
        }
    }
    let mut current = start;
    while let Some(index) = current {
        match ask_question(&mut session, index)? {
            Step::Next if editing => current = session.interview.first_unanswered_after(None),
            Step::Next => current = session.interview.next_after(index),
            Step::Back => {
                editing = false;
                current = match session.interview.previous_before(index) {
                    Some(previous) => Some(previous),
                    None => {
                        session.say("This is the first question.")?;
                        Some(index)
                    }
                }
            }
            Step::Quit => {
                let kept = if session.data_dir.is_some() {
                    " The autosave keeps the answers: `aml-advisor interview --plain --resume` continues."
                } else {
                    ""
                };
                session.say(&format!("Stopped.{kept}"))?;
                return Ok(());
            }
            Step::Eof => return finish_early(&mut session, index),
        }
        let position = current.map_or(Position::Review, |next| {
            Position::Question(kb.questions[next].id.clone())
        });
        session.autosave(&position);
    }
    finish(&mut session)
}

enum Step {
    Next,
    Back,
    Quit,
    Eof,
}

fn ask_question<R: BufRead, W: Write>(session: &mut Session<'_, R, W>, index: usize) -> Result<Step, Stop> {
    let kb = session.interview.kb;
    let question = &kb.questions[index];
    let (position, total) = session.interview.progress(index);
    let section = kb.section(&question.section).map_or("", |s| s.title.as_str());
    let offered = session.interview.offered(index);
    // The current answer (after `back`, a resume or --answers), else the default.
    let answered = session.interview.given().get(&question.id).cloned();
    let from_estate = session
        .estate_origins
        .get(&question.id)
        .filter(|(value, _)| Some(value) == answered.as_ref());
    let tag_text = match (&answered, from_estate) {
        (Some(_), Some(_)) => " (from the estate)",
        (Some(_), None) => " (current)",
        (None, _) => " (default)",
    };
    let current = answered.or_else(|| session.interview.default_for(index).map(|(value, _)| value));
    let mut text = format!(
        "\nQuestion {position} of about {total} ({section}) [{}]\n{}",
        question.id,
        strip_controls(&question.prompt)
    );
    let marked = |id: &str| match &current {
        Some(AnswerValue::Choice(value)) => value == id,
        Some(AnswerValue::Choices(values)) => values.iter().any(|v| v == id),
        _ => false,
    };
    for (number, &choice) in offered.iter().enumerate() {
        let choice = &question.choices[choice];
        let tag = if marked(&choice.id) { tag_text } else { "" };
        text.push_str(&format!(
            "\n  {}. {}{tag} [{}]: {}",
            number + 1,
            strip_controls(&choice.label),
            choice.id,
            strip_controls(&choice.description)
        ));
    }
    if let Some((_, origin)) = from_estate {
        text.push_str(&format!("\n  ({})", strip_controls(origin)));
    }
    session.say(&text)?;
    let prompt = match (question.kind, &current) {
        (QuestionKind::Single, Some(AnswerValue::Choice(id))) => {
            let number = offered
                .iter()
                .position(|&c| question.choices[c].id == *id)
                .map_or_else(|| id.clone(), |n| (n + 1).to_string());
            format!("Answer [1-{}, Enter = {number}]: ", offered.len())
        }
        (QuestionKind::Single, _) => format!("Answer [1-{}]: ", offered.len()),
        (QuestionKind::Multi, Some(value)) => format!(
            "Answer [numbers or ids, `none`; Enter = {}]: ",
            display_value(question, value)
        ),
        (QuestionKind::Multi, None) => "Answer [numbers or ids, `none`]: ".to_string(),
        (QuestionKind::Text, Some(AnswerValue::Text(value))) => {
            format!("Answer [Enter = {}]: ", strip_controls(value))
        }
        (QuestionKind::Text, _) => "Answer (required): ".to_string(),
    };
    loop {
        let line = match session.ask(&prompt)? {
            Reply::Eof => return Ok(Step::Eof),
            Reply::Line(line) => line,
        };
        match line.to_lowercase().as_str() {
            "quit" | "exit" => return Ok(Step::Quit),
            "back" => return Ok(Step::Back),
            "?" | "help" => {
                explain(session, question)?;
                continue;
            }
            _ => {}
        }
        match parse_reply(kb, question, &offered, current.as_ref(), &line) {
            Ok(value) => {
                let change = session.interview.answer(index, value);
                for note in &change.dropped {
                    let text = session.interview.dropped_note(note);
                    session.say(&format!("  Dropped: {text}"))?;
                }
                for id in &change.restored {
                    let text = session.interview.answer_note(id);
                    session.say(&format!("  Restored, as it applies again: {text}"))?;
                }
                return Ok(Step::Next);
            }
            Err(problem) => session.say(&format!("  Not accepted: {problem}"))?,
        }
    }
}

fn explain<R: BufRead, W: Write>(session: &mut Session<'_, R, W>, question: &Question) -> Result<(), Stop> {
    let kb = session.interview.kb;
    let mut text = format!("  {}", strip_controls(&question.help));
    if let Some(index) = kb.question_position(&question.id)
        && let Some((value, reason)) = session.interview.default_for(index)
    {
        text.push_str(&format!(
            "\n  Default: {}. {}",
            display_value(question, &value),
            strip_controls(&reason)
        ));
    }
    for id in &question.sources {
        if let Some(source) = kb.source(id) {
            text.push_str(&format!("\n  Source: {}: {}", source.title, source.location));
        }
    }
    if question.text.as_ref().is_some_and(|rule| rule.kind == TextKind::Region) {
        let regions: Vec<String> = kb
            .regions
            .iter()
            .map(|region| format!("{} ({})", region.id, region.name))
            .collect();
        text.push_str(&format!("\n  Regions: {}", regions.join(", ")));
    }
    session.say(&text)
}

/// Turns a typed line into an answer for `question`.
fn parse_reply(
    kb: &KnowledgeBase,
    question: &Question,
    offered: &[usize],
    current: Option<&AnswerValue>,
    line: &str,
) -> Result<AnswerValue, String> {
    let find = |token: &str| -> Result<usize, String> {
        if let Ok(number) = token.parse::<usize>() {
            return offered
                .get(number.wrapping_sub(1))
                .copied()
                .ok_or_else(|| format!("there is no choice {number}; type 1 to {}", offered.len()));
        }
        offered
            .iter()
            .copied()
            .find(|&c| {
                question.choices[c].id.eq_ignore_ascii_case(token)
                    || question.choices[c].label.eq_ignore_ascii_case(token)
            })
            .ok_or_else(|| {
                let ids: Vec<&str> = offered.iter().map(|&c| question.choices[c].id.as_str()).collect();
                format!(
                    "`{}` is not a choice; type a number from 1 to {} or one of: {}",
                    crate::sanitize::for_message(token),
                    offered.len(),
                    ids.join(", ")
                )
            })
    };
    if line.is_empty() {
        return current
            .cloned()
            .ok_or_else(|| "an answer is required: this question has no default".to_string());
    }
    match question.kind {
        QuestionKind::Single => {
            let choice = find(line)?;
            Ok(AnswerValue::Choice(question.choices[choice].id.clone()))
        }
        QuestionKind::Multi => {
            if line.eq_ignore_ascii_case("none") {
                return Ok(AnswerValue::Choices(Vec::new()));
            }
            let mut picked: Vec<usize> = Vec::new();
            for token in line
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
            {
                let choice = find(token)?;
                if !picked.contains(&choice) {
                    picked.push(choice);
                }
            }
            Ok(AnswerValue::Choices(choice_ids(question, picked)))
        }
        QuestionKind::Text => match &question.text {
            Some(rule) => text_rule::check(kb, rule, line)
                .map(|()| AnswerValue::Text(line.to_string()))
                .map_err(|reason| format!("`{}` {reason}", crate::sanitize::for_message(line))),
            None => Ok(AnswerValue::Text(line.to_string())),
        },
    }
}

/// Input ended before the last question: report what was answered, and the recommendation
/// when the remaining questions all have defaults.
fn finish_early<R: BufRead, W: Write>(session: &mut Session<'_, R, W>, index: usize) -> Result<(), Stop> {
    let (position, total) = session.interview.progress(index);
    session.say(&format!(
        "Input ended at question {position} of about {total}; {} answer(s) given.",
        session.interview.given().0.len()
    ))?;
    if let Some(id) = session.interview.missing().first() {
        let resume = if session.data_dir.is_some() {
            " `aml-advisor interview --plain --resume` continues from the autosave."
        } else {
            ""
        };
        return Err(Stop::Failed(Failure::Usage(format!(
            "input ended before `{id}` was answered, and it has no default, so there is no recommendation.{resume}"
        ))));
    }
    session.say("The unanswered questions take their defaults (listed under ASSUMPTIONS).\n")?;
    let text = render::text::render(&session.interview.recommendation());
    session.say(&text)
}

fn finish<R: BufRead, W: Write>(session: &mut Session<'_, R, W>) -> Result<(), Stop> {
    if let Some(id) = session.interview.missing().first() {
        return Err(Stop::Failed(Failure::Usage(format!(
            "`{id}` is not answered and has no default"
        ))));
    }
    for note in session.interview.dropped().to_vec() {
        let text = session.interview.dropped_note(&note);
        session.say(&format!("Note: dropped {text}"))?;
    }
    let recommendation = session.interview.recommendation();
    session.say("\nAll questions answered. The recommendation:\n")?;
    session.say(&render::text::render(&recommendation))?;
    let record = export::record(&recommendation);
    let answers = export::answers_file(session.interview.kb, session.interview.given());
    for (purpose, contents) in [(Purpose::Answers, Ok(answers)), (Purpose::Record, record)] {
        let contents = match contents {
            Ok(contents) => contents,
            Err(message) => {
                session.say(&format!("The design record cannot be written: {message}."))?;
                break;
            }
        };
        let file = export::default_file(purpose, session.interview.resolved());
        let what = match purpose {
            Purpose::Answers => "the answers",
            Purpose::Record => "the design record",
            Purpose::Terraform => "the Terraform",
            Purpose::Bicep => "the Bicep",
        };
        if !offer_save(session, what, &file, &contents)? {
            break;
        }
    }
    Ok(())
}

/// Asks for a file name and writes `contents`; `false` when input ended.
fn offer_save<R: BufRead, W: Write>(
    session: &mut Session<'_, R, W>,
    what: &str,
    default: &str,
    contents: &str,
) -> Result<bool, Stop> {
    loop {
        let reply = session.ask(&format!("Save {what}? File name [Enter = {default}, `no` skips]: "))?;
        let name = match reply {
            Reply::Eof => return Ok(false),
            Reply::Line(line) if matches!(line.to_lowercase().as_str(), "no" | "n" | "skip") => return Ok(true),
            Reply::Line(line) if line.is_empty() => default.to_string(),
            Reply::Line(line) => line,
        };
        let path = PathBuf::from(&name);
        let mut force = false;
        loop {
            match write_file(&path, contents.as_bytes(), force) {
                Ok(()) => {
                    let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
                    session.say(&format!("Wrote {what} to {}", shown.display()))?;
                    return Ok(true);
                }
                Err(WriteError::Exists(_)) if !force => {
                    match session.ask(&format!("{name} already exists. Replace it? [y/N]: "))? {
                        Reply::Line(line) if line.to_lowercase().starts_with('y') => force = true,
                        Reply::Line(_) => break,
                        Reply::Eof => return Ok(false),
                    }
                }
                Err(error) => {
                    session.say(&format!("Not written: {error}"))?;
                    break;
                }
            }
        }
    }
}
