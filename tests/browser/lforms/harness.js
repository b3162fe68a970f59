// Renders the app's FHIR Questionnaire in LHC-Forms and sends the widget's QuestionnaireResponse
// to $evaluate. LHC-Forms does not read the translation extension, so for Spanish the page first
// shows each text in the language its translation extension gives (what any EHR would do).
"use strict";

function translationOf(element, field, lang) {
  const extensions = ((element["_" + field] || {}).extension || []);
  for (const extension of extensions) {
    if (extension.url !== "http://hl7.org/fhir/StructureDefinition/translation") continue;
    const parts = Object.fromEntries(extension.extension.map((part) => [part.url, part]));
    if (parts.lang.valueCode === lang) return parts.content.valueString;
  }
  return null;
}

function inLanguage(item, lang) {
  const copy = {...item};
  if (copy.text) copy.text = translationOf(item, "text", lang) || copy.text;
  if (copy.title) copy.title = translationOf(item, "title", lang) || copy.title;
  if (copy.answerOption) {
    copy.answerOption = copy.answerOption.map((option) => ({valueCoding: {...option.valueCoding,
      display: translationOf(option.valueCoding, "display", lang) || option.valueCoding.display}}));
  }
  if (copy.item) copy.item = copy.item.map((child) => inLanguage(child, lang));
  return copy;
}

async function renderIntake(lang) {
  const questionnaire = await (await fetch("/fhir/Questionnaire/pain-intake")).json();
  const shown = lang === "en" ? questionnaire : {...inLanguage(questionnaire, lang), language: lang};
  await LForms.Util.addFormToPage(shown, "intake-form", {fhirVersion: "R4"});
  document.documentElement.lang = lang;
  return shown;
}

async function evaluateAnswers() {
  const response = LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", document.getElementById("intake-form"));
  const answer = await fetch("/fhir/QuestionnaireResponse/$evaluate", {
    method: "POST", headers: {"Content-Type": "application/fhir+json"}, body: JSON.stringify(response)});
  return {status: answer.status, body: await answer.text(), response: response};
}
