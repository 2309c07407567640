"""Lines of a web page's article that are the site's, not the story's.

Applied to the blocks of an article page once its root is chosen and pruned
(never to documentation): what the element tree cannot tell because it sits in
the story's own container, a line can tell by its words:

- interface lines, in the languages of the pages read: share and print buttons
  ("Jetzt teilen!", "Rezept drucken"), the lead-ins of related-post and comment
  boxes ("Mehr zum Thema", "You might also like", "Kommentieren"), tag lists;
- credits and captions ("Foto: …", "© …", "Photo by …"), bylines ("By Sarah
  Yang", "Von: …") and lines that are only a date or time, with their label
  ("Aktualisiert: 11.04.2020, 10:27", "19:49");
- pitches: newsletters, subscriptions, apps, "follow us", "support our work";
- headings left with nothing after them at the end of the article.

Only short blocks are judged (a pitch is one or two sentences), so a paragraph of
the story that happens to start with "Photo" is never one of them.
"""

from __future__ import annotations

import re

__all__ = ["is_boilerplate", "trailing_headings"]

_SHORT = 90  # an interface line, a credit or a date line is at most this long
_PITCH = 260
_DATED = 50  # a date line with one more word (its section) is at most this long
_HEADING = 60  # a heading left at the end is dropped when at most this long  # a pitch (newsletter, subscription, app) is at most this long

# whole lines (case folded, so ß is written ss; end punctuation and counts stripped)
_LINES = frozenset(
    " ".join(line.split())
    for line in """
    share|share this|share this article|share this story|share on facebook|share on twitter|print|print this
    page|email|tweet|pin it|like this|like|related|related articles|related posts|related stories|related
    content|related topics|read more|read next|read also|more stories|more from|you might also like|you may also
    like|recommended|recommended for you|most read|most popular|popular posts|trending|tags|topics|categories|
    filed under|comments|leave a comment|leave a reply|post a comment|add a comment|no comments|comment|
    about the author|about the authors|author|authors|newsletter|subscribe|sign up|follow us|advertisement|
    sponsored|sponsored content|back to top|back|loading|loading...|permalink|editor's picks|
    jetzt teilen|teilen|artikel teilen|diesen artikel teilen|diese seite teilen|seite teilen|news teilen|beitrag
    teilen|möchten sie den artikel teilen|drucken|artikel drucken|seite drucken|rezept drucken|rezept drucken bei
    pinterest speichern|bei pinterest speichern|merken|gefällt mir|gefällt mir wird geladen|artikel bewerten|
    bewerten|kommentieren|kommentare|kommentar schreiben|kommentare schreiben|hinterlasse jetzt einen kommentar|
    hinterlasse einen kommentar|schreibe einen kommentar|kommentierte artikel|keine kommentare|mehr zum thema|
    mehr zu diesem thema|das könnte sie auch interessieren|das könnte dich auch interessieren|das thema könnte dich
    auch interessieren|könnte sie auch interessieren|auch interessant|ebenfalls interessant|weitere artikel|weitere
    artikel zum thema|weitere beiträge|ähnliche beiträge|ähnliche artikel|ähnliche nachrichten|ähnliche themen|
    verwandte artikel|verwandte themen|verwandte themenbereiche|lesen sie auch|lesen sie auch die folgenden
    beiträge|lesen sie mehr|zum weiterlesen|weiterlesen|mehr lesen|mehr interessantes|mehr themen|mehr
    kolumnen|meistgelesen|meistgelesene artikel|viel gelesen|empfehlungen aus der redaktion|heute empfehlen wir|
    schon gelesen|noch mehr infos für dich|themen|schlagworte|schlagwörter|stichworte|stichwörter|kategorie|
    kategorien|zurück|zurück zur übersicht|zurück zur listenansicht|zurück zu allen meldungen|zurück zum
    newsroom|nach oben|über den autor|über die autorin|zum autor|zur autorin|autor|autorin|autoren|autor*innen|
    externer inhalt|alle anzeigen|quellen ausblenden|anzeige|werbung|produktempfehlung|zum newsletter anmelden|
    newsletter abonnieren|jetzt abonnieren|vous aimerez aussi|à lire aussi|lire aussi|a lire aussi|sur le même
    sujet|vos réactions|partager|imprimer|commentaires|réagir|lire la suite|mots-clés|zobacz również|zobacz
    także|czytaj też|czytaj także|czytaj więcej|udostępnij|drukuj|komentarze|leia também|leia mais|compartilhe|
    lee también|te puede interesar|compartir|comentarios|lo último|nos siga no|publicidad|pubblicità|leggi anche|
    condividi|stampa|kontakt|telefon|aufrufe|kommentare insgesamt|möchten sie weiterlesen|ja. ich bin abonnent|
    ja. ich benötige ein abo|originalartikel|originalpublikation|quellenangaben|erschienen in|permalien|bild anzeigen|
    bild anzeigen bild schliessen|war der artikel nützlich|noch keine bewertungen|darstellung|vorschau auf den
    nächsten artikel|über diese reihe|mehr kolumnen|zusatzinformationen
    """.replace("\n", " ").split("|")
) - {""}
# how a line begins: credits, bylines, labels, pitches (case folded: ß is ss)
_LEADS = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|photo:|photos:|photo by\b|photograph by\b|image:|images:|credit:|credits:|\(credit|"
    r"crédits? photos?\b|foto:|fotos:|\(foto|bild:|bilder:|titelbild\b|beitragsbild\b|quelle:|\(quelle|quellen:|"
    r"source:|sources:|źródło:|fot\.|zdjęcie:|abbildung:|screenshot:|vergrössern\b|von:|verfasst von\b|"
    r"geschrieben von\b|posted by\b|written by\b|autor:|autorin:|tags:|schlagworte:|themen:|kategorie:|"
    r"category:|categories:|filed under\b|related topics|this entry was posted\b|der beitrag wurde am\b|"
    r"mehr zum thema\b|mehr zu\s|mehr aus\s|weitere informationen\b|lesen sie auch\b|read more\b|read also\b|"
    r"see also:|auch interessant\b|das könnte\b|sie könnten auch\b|entdecke weitere\b|you might also\b|"
    r"you may also\b|zum weiterlesen\b|weitere artikel\b|weitere tourentipps\b|"
    r"(?:le|te) puede interesar\b|le(?:e|a) también\b|ver también\b|czytaj (?:też|także|również)\b|"
    r"zobacz (?:też|także|również)\b|dowiedz się więcej\b|leia também\b|leggi anche\b|(?:à )?lire aussi\b|"
    r"voir aussi\b|also read\b|related:|"
    r"subscribe\b|sign up\b|signing up\b|never miss\b|get the latest\b|receive our\b|follow us\b|follow the\b|"
    r"síguenos\b|siguenos\b|suivez-nous\b|folge uns\b|folgen sie uns\b|abonniere\b|abonnieren sie\b|"
    r"zum newsletter\b|mit unserem newsletter\b|newsletter\b|jetzt abonnieren\b|werden sie mitglied\b|"
    r"unterstütze\b|unterstützen sie\b|wenn ihnen unser artikel\b|if you enjoyed\b|we rely on your support\b|"
    r"we need your help\b|support our\b|donate\b|jede kleine spende\b|zapraszamy\b|"
    r"aktualisiert\b|publiziert\b|veröffentlicht\b|veröffentlichung:|stand:|letzte änderung\b|"
    r"zuletzt aktualisiert\b|erstellt am\b|publikacja:|opublikowano:|pubblicato\b|publié le\b|mis à jour\b|"
    r"updated\b|published\b|last updated\b|last modified\b|release date:|news date\b|"
    r"war der artikel nützlich\b|\(noch keine bewertungen\)|sie sind aktuell nicht eingeloggt\b|"
    r"klicken sie auf den\b|mit diesem button\b|dieses skript als pdf\b|dieser text wurde veröffentlicht\b|"
    r"bei fragen und anregungen\b|materiał chroniony\b|ten tekst przeczytasz\b|\d+ (?:min|minut|minuten|minutes?)"
    r"\.? (?:read|lesezeit|czytania|de lecture|lectura)\b)"
)
# a pitch or a line of the site's, wherever it stands (case folded)
_PITCHES = re.compile(
    r"(?:newsletter|subscri(?:be|ption|ber)|abonn(?:ier|ement|ent)|abo\b|app\b|apps\b|telegram|whatsapp|"
    r"instagram|facebook|twitter|youtube|podcast|e-paper|rss|copyright|all rights reserved|alle rechte|wszelkie prawa|derechos reservados|droits réservés|diritti riservati|"
    r"affiliate|provision|werbung|anzeige|advertis|sponsor|cookie|datenschutz|privacy|spende|donat|support|"
    r"unterstütz|kundenkonto|einloggen|log in|login|registrier|mitglied|member|recaptcha)"
)
_PITCH_LEADS = re.compile(
    r"^(?:subscribe|sign up|never miss|get the latest|receive our|for the latest|download|follow|"
    r"don't miss|join our|join us|we rely|we need|support|if you|help us|to view the full|"
    r"síguenos|siguenos|suscríbete|únete|¿ya sabías|suivez|abonnez|"
    r"abonniere|abonnieren|melde dich|melden sie sich|jetzt|hol dir|holen sie sich|lust auf mehr|"
    r"gefällt dir|unterstütze|unterstützen|werden sie|werde|mit unserem|bitte laden|sie müssen sich|"
    r"zapraszamy|materiał chroniony|wszelkie prawa|"
    r"©|\(c\)|copyright|this site is protected|for links on|für links auf|"
    r"dieser text wurde veröffentlicht|dieser beitrag gibt|bei diesem beitrag handelt|"
    r"\*?werbung[.:]|anzeige\b[^a-z]|this post contains|we recommend|we may receive|"
    r"alle rechte|sofern nicht anders)"
)
# a line that is a date or a time and nothing more, once its label is gone
_DATE_WORDS = re.compile(
    r"\b(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|june?|juni|july?|juli|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
    r"mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|uhr|am|um|at|on|le|el|de|del|à|a\.m|p\.m|am|pm|gmt|utc|cet|cest|mez|mesz|est|edt|pst|pdt|"
    r"aktualisiert|publiziert|veröffentlicht|veröffentlichung|stand|datum|date|updated|published|posted|"
    r"last|modified|publikacja|opublikowano|pubblicato|publié|mis|jour|actualizado|publicado|news)\b\.?"
)
_BYLINE = re.compile(r"^(?:by|von|par|por|door|di)\s[^.!?]{2,60}$")
_DATE_LIKE = re.compile(r"\d{1,2}:\d{2}|\b\d{4}-\d{2}-\d{2}\b|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+[a-zäé]{3,}\.?\s+\d{4}|[a-z]{3,}\.?\s+\d{1,2},?\s+\d{4}")
_DATE_REST = re.compile(r"[\d\s.,:/|\-–—()+]+")
_END_PUNCTUATION = " \t:!?.…•>»«\"'“”„*-–—|"
_COUNT = re.compile(r"^\(?\d+\)?\s+|\s+\(?\d+\)?$")


def is_boilerplate(text: str) -> bool:
    """Whether a block of an article's text is the site's: an interface line, a credit, a
    byline, a date line or a pitch (see the module)."""
    if len(text) > _PITCH:
        return False
    line = " ".join(text.split()).casefold()
    if len(line) <= _SHORT:
        key = _COUNT.sub("", line.strip(_END_PUNCTUATION)).strip(_END_PUNCTUATION)
        if key in _LINES or _LEADS.match(line) or _BYLINE.match(line) or _is_date_line(line):
            return True
    return bool(_PITCH_LEADS.match(line)) and bool(_PITCHES.search(line))


def trailing_headings(headings: list[str | None]) -> int:
    """How many of the last blocks are short headings with nothing after them (``headings``
    holds each block's text if it is a heading, else None); a heading that is a sentence (a
    pull quote) is the story's."""
    count = 0
    for text in reversed(headings):
        if text is None or len(text) > _HEADING or text.rstrip().endswith((".", "!", "…")):
            break
        count += 1
    return count


def _is_date_line(line: str) -> bool:
    """A date or a time and nothing more, or with one word beside it in a short line (its
    section: "Energie 12.12.2022, 08:30 Uhr", "2021-10-16 | Botschaft"); a label before a
    date ("Termin: 29.02.2020") is an event's, kept."""
    if not _DATE_LIKE.search(line):
        return False
    rest = [word for word in _DATE_WORDS.sub(" ", line).split() if not _DATE_REST.fullmatch(word)]
    return not rest or (len(line) <= _DATED and len(rest) == 1 and not rest[0].endswith(":"))
