-- Handlers for what the envbuilder server sends while it builds:
--   $/progress             "step 3/8: RUN ..." echoed as it comes (the default handler still runs,
--                          so statusline/progress plugins keep working)
--   envbuilder/buildLog    output lines, appended to the scratch buffer envbuilder://build-log
--   window/showMessage     through vim.notify
-- Neovim 0.7's own $/progress handler only stores the message in client.messages.progress and
-- fires `User LspProgressUpdate`; nothing is shown unless a plugin reads it, hence the echo here.
local util = require('envbuilder.util')

local M = {}

M.LOG_NAME = 'envbuilder://build-log'

local log_buf = nil
local last_step = {}
-- Latest progress text per client id, for require('envbuilder').status().
M.progress_text = {}

local function options()
  return require('envbuilder').options
end

-- The build log buffer ------------------------------------------------------------------------

--- The scratch buffer holding build output, made on first use.
function M.log_buffer()
  if log_buf and vim.api.nvim_buf_is_valid(log_buf) then
    return log_buf
  end
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b) == M.LOG_NAME then
      log_buf = b
      return b
    end
  end
  log_buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(log_buf, M.LOG_NAME)
  util.set_option(log_buf, 'buftype', 'nofile')
  util.set_option(log_buf, 'bufhidden', 'hide')
  util.set_option(log_buf, 'swapfile', false)
  util.set_option(log_buf, 'modifiable', false)
  util.set_option(log_buf, 'filetype', 'envbuilderlog')
  return log_buf
end

--- Appends lines to the build log, keeping at most options().log_max_lines, and keeps windows
--- that were showing its end scrolled to the end.
function M.append_log(lines)
  if #lines == 0 then
    return
  end
  local buf = M.log_buffer()
  local count = vim.api.nvim_buf_line_count(buf)
  local following = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == buf and vim.api.nvim_win_get_cursor(win)[1] >= count then
      table.insert(following, win)
    end
  end
  util.set_option(buf, 'modifiable', true)
  local empty = count == 1 and vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1] == ''
  if empty then
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  else
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, lines)
  end
  local max = options().log_max_lines
  count = vim.api.nvim_buf_line_count(buf)
  if max and max > 0 and count > max then
    vim.api.nvim_buf_set_lines(buf, 0, count - max, false, {})
    count = max
  end
  util.set_option(buf, 'modifiable', false)
  for _, win in ipairs(following) do
    if vim.api.nvim_win_is_valid(win) then
      vim.api.nvim_win_set_cursor(win, { count, 0 })
    end
  end
end

--- Shows the build log in a split (or jumps to the window already showing it).
function M.open_log()
  local buf = M.log_buffer()
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == buf then
      vim.api.nvim_set_current_win(win)
      return
    end
  end
  vim.cmd('botright split')
  vim.api.nvim_win_set_buf(0, buf)
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(buf), 0 })
end

-- Progress ------------------------------------------------------------------------------------

local function show_progress(text, value, ctx)
  local mode = options().progress
  if mode == false or mode == 'none' then
    return
  end
  if type(mode) == 'function' then
    mode(text, value, ctx)
    return
  end
  local line = 'envbuilder: ' .. text
  if mode == 'notify' then
    vim.notify(line, vim.log.levels.INFO, { title = 'envbuilder' })
    return
  end
  -- Echo without history, cut to one screen line so that it never asks to press Enter.
  local width = math.max(vim.o.columns - 12, 20)
  if vim.fn.strdisplaywidth(line) > width then
    line = vim.fn.strcharpart(line, 0, width - 3) .. '...'
  end
  vim.api.nvim_echo({ { line } }, false, {})
end

local titles = {}

-- The server starts some texts with "Envbuilder: "; ours get "envbuilder: " already.
local function strip_prefix(text)
  return (tostring(text):gsub('^[Ee]nvbuilder:%s*', ''))
end

M['$/progress'] = function(err, result, ctx, config)
  local default = vim.lsp.handlers['$/progress']
  if default then
    pcall(default, err, result, ctx, config)
  end
  local value = result and result.value
  if type(value) ~= 'table' then
    return
  end
  local key = tostring(ctx.client_id) .. ':' .. tostring(result.token)
  local text
  if value.kind == 'begin' then
    titles[key] = value.title
    text = value.title or ''
    if value.message and value.message ~= '' then
      text = text ~= '' and (text .. ': ' .. value.message) or value.message
    end
  elseif value.kind == 'report' then
    text = value.message or titles[key] or ''
  elseif value.kind == 'end' then
    text = value.message or ((titles[key] or 'build') .. ': done')
    titles[key] = nil
  else
    return
  end
  text = strip_prefix(text)
  if value.kind == 'end' then
    M.progress_text[ctx.client_id] = nil
  else
    M.progress_text[ctx.client_id] = text
  end
  show_progress(text, value, ctx)
end

-- Build output --------------------------------------------------------------------------------

M['envbuilder/buildLog'] = function(_, result, ctx)
  if type(result) ~= 'table' then
    return
  end
  local lines = {}
  local step = result.step
  local key = tostring(ctx.client_id) .. ':' .. tostring(result.workspace)
  if step ~= nil and step ~= vim.NIL and last_step[key] ~= step then
    last_step[key] = step
    table.insert(lines, '## step ' .. tostring(step))
  end
  if result.text ~= nil and result.text ~= vim.NIL then
    vim.list_extend(lines, util.lines(result.text))
  end
  M.append_log(lines)
end

-- Messages ------------------------------------------------------------------------------------

local levels = {
  [1] = vim.log.levels.ERROR,
  [2] = vim.log.levels.WARN,
  [3] = vim.log.levels.INFO,
  [4] = vim.log.levels.DEBUG,
}

-- The server tells the end of each build with window/showMessage, and the plugin reports the
-- answer to the build request itself (with what was built): a message that comes while a build of
-- ours runs on that client is held for a moment and dropped if the plugin reports a build's end
-- within 5 s of it.
local HOLD_MS = 1000
local REPORT_WINDOW_MS = 5000

M['window/showMessage'] = function(_, result, ctx)
  if type(result) ~= 'table' or not result.message or options().show_messages == false then
    return vim.NIL
  end
  local message = strip_prefix(result.message)
  local level = levels[result.type] or vim.log.levels.INFO
  local build = require('envbuilder.build')
  local client_id = ctx and ctx.client_id
  local function reported()
    local t = client_id and build.last_report[client_id]
    return t ~= nil and math.abs(util.uv.now() - t) < REPORT_WINDOW_MS
  end
  if client_id and (build.running(client_id) or reported()) then
    vim.defer_fn(function()
      if not reported() then
        util.notify(message, level)
      end
    end, HOLD_MS)
  else
    util.notify(message, level)
  end
  return vim.NIL
end

--- The handlers to give a client (start_client's or lspconfig's `handlers`).
function M.all()
  return {
    ['$/progress'] = M['$/progress'],
    ['envbuilder/buildLog'] = M['envbuilder/buildLog'],
    ['window/showMessage'] = M['window/showMessage'],
  }
end

--- Marks the start and the end of a build in the log.
function M.log_event(text)
  local lines = util.lines(text)
  lines[1] = string.format('== %s %s', os.date('%H:%M:%S'), lines[1])
  M.append_log(lines)
end

function M.forget_client(client_id)
  M.progress_text[client_id] = nil
end

return M
