"""The ear's prompt: the interview's terms, cleaned, each once, short enough for
Whisper's 224-token prompt."""

from services.voice.domain import MAX_PROMPT_CHARS, ear_prompt, line_of


def test_the_terms_become_one_sentence_each_term_once():
    prompt = ear_prompt(["Staff Nurse", "NEWS2", "news2", "  triage ", ""])
    assert prompt == "An answer in a job interview about Staff Nurse, NEWS2, triage."


def test_no_terms_no_prompt_and_control_characters_are_dropped():
    assert ear_prompt([]) == ""
    assert ear_prompt(["Kafka\x00\n", "\x07"]) == "An answer in a job interview about Kafka."


def test_a_long_vocabulary_is_cut_to_fit():
    prompt = ear_prompt([f"skill number {i} with a long name" for i in range(100)])
    assert len(prompt) <= MAX_PROMPT_CHARS and prompt.endswith(".")
    assert prompt.count(",") < 30


def test_a_line_is_one_clip_per_user_and_text():
    assert line_of(" Hello. ", "u-1") == line_of("Hello.", "u-1")
    assert line_of("Hello.", "u-1")[1] != line_of("Hello.", "u-2")[1]
